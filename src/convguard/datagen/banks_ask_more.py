"""More request frames for the user's opening ask, in many registers (generator 1.6).

Hand-written for convguard; not taken from any dataset, benchmark, jailbreak collection or web
page. Generator 1.5 had only 20 short, neutral "how" frames and 16 "do" frames, so the detector
learned that a long, formal, polite request is benign. The same frames are used for benign and
harmful verb phrases alike, so a frame's style must never tell the label.

* ``HOW_ASK_MORE``: the user asks how THEY could do something; one ``{vp}`` slot (or ``{Vp}``
  where the phrase starts a sentence).
* ``DO_ASK_MORE``: the user asks the ASSISTANT to do a task; one ``{vp}`` or ``{Vp}`` slot.

Voices, roughly: very formal and courteous, often long-winded (about a quarter); slightly
non-native English (about 15%); rambling with neutral everyday context before or after the slot
(time of day, typing on a phone, having asked elsewhere, a friend's recommendation) (about a
fifth); terse lowercase texting with typos and abbreviations (about a fifth); plain neutral
sentences (about a fifth).

Every frame is neutral about motive: no reason, pretext or purpose, no claimed role, no
"hypothetically", "legally", "safely" or "without getting caught", no emotion hinting at danger
or crisis, and no mention of harm, weapons, police or law. Each must read equally well with
"get red wine out of a carpet" and with a seriously harmful phrase. Frames are written in the
first person (not "one" or "someone") so that phrases containing "my" still read naturally.
"""

from __future__ import annotations

#: "how" frames: the user asks how THEY could do something; one {vp} slot (a verb phrase: "make a pipe bomb", "kill a stuck process")
HOW_ASK_MORE: tuple[str, ...] = (
    # --- very formal, courteous, often long-winded ---
    "Good evening. I hope you will forgive the directness of my question, but I should be most "
    "grateful to learn how I might {vp}. A clear explanation would help me greatly.",
    "Dear assistant, would you be so kind as to explain how I could {vp}?",
    "I wonder whether you might be able to advise me on how to {vp}. Any guidance you can offer "
    "would be very much appreciated.",
    "Good morning. May I ask what the correct procedure would be to {vp}?",
    "I would be most obliged if you could set out, step by step, how I should {vp}.",
    "Pardon the intrusion. Might you be able to explain the proper method to {vp}?",
    "If it is not too much trouble, I would very much like to understand how to {vp}. Thank you "
    "kindly in advance.",
    "Hello, and thank you for your time. I have been meaning to ask: what is the recommended way "
    "to {vp}? I would appreciate a thorough answer.",
    "I am writing to ask whether you could kindly describe how I might {vp}. Please take as much "
    "space as you need.",
    "With respect, I should like to request a detailed explanation of how to {vp}.",
    "Would you be good enough to walk me through how I would {vp}? I am grateful for your "
    "patience.",
    "Good afternoon. I have a question that I hope you can help me with. How exactly would I "
    "{vp}? I would be thankful for any detail you can provide.",
    "Kindly advise on the most effective means by which I could {vp}.",
    "Please excuse my ignorance on the matter, but how would I {vp}? I should be delighted to "
    "receive a full explanation.",
    "I trust you are well. I am hoping you might explain the process by which I could {vp}.",
    "I would be sincerely grateful if you could take a moment to explain how to {vp}. Many "
    "thanks.",
    "May I trouble you for a clear, methodical account of how to {vp}?",
    "Respectfully, I request your guidance. What steps should I follow to {vp}?",
    "Greetings. I should appreciate it enormously if you would outline how I am to {vp}.",
    "Dear Sir or Madam, I would like to enquire as to how I might {vp}. I look forward to your "
    "reply.",
    "Forgive me for asking something so specific. I have long wished to know how to {vp}, and I "
    "would value your explanation.",
    "If you would be so gracious, could you describe in some detail how I would {vp}? I thank "
    "you sincerely.",
    "I have a question which I hope is not an imposition. What would be the correct way for me "
    "to {vp}?",
    "Good day to you. I would be very appreciative of instructions on how to {vp}, set out as "
    "clearly as possible.",
    "It would be of considerable help to me if you could explain how to {vp}. Thank you very "
    "much for your assistance.",
    "I should like, if I may, to ask your advice. How would I best begin if I wished to {vp}?",
    "Might I impose upon you for an explanation of how to {vp}?",
    "Please accept my thanks in advance. I would like to know, in as much detail as you are able "
    "to give, how I could {vp}.",
    "I hope this message finds you well. Could you kindly enlighten me as to how I might {vp}?",
    "I would very much like to learn how to {vp}. Would you be willing to explain it to me from "
    "the very beginning?",
    "At your convenience, could you please provide a complete explanation of how to {vp}?",
    "Esteemed assistant, I humbly ask for instructions on how I could {vp}.",
    "Good evening. I must confess I have no idea how to {vp}, and I would be most thankful if "
    "you could explain it to me.",
    "I wonder if I might ask you something. What would you say is the best approach if I want "
    "to {vp}? I would be very grateful for your thoughts.",
    "Thank you for being available. I would appreciate your help in understanding how to {vp}; "
    "a careful, ordered explanation would be ideal.",
    "Could I possibly prevail upon you to explain how I might {vp}? It would be greatly "
    "appreciated.",
    # --- slightly non-native English ---
    "Hello, please can you tell me what is the way to {vp}? I try to understand it.",
    "Hi. I want know how I can {vp}. Please explain me.",
    "Please, how is possible to {vp}? Thank you very much.",
    "Good day, my question is: how to {vp}? I am not sure about it.",
    "Excuse me, you can explain me how to {vp}? Step for step, please.",
    "Hello friend, I am asking you how I must {vp}. Please help me for this.",
    "Which is the method to {vp}? Please say me.",
    "I am not so good in English, sorry. How I can {vp}?",
    "Hello, I would like to know the manner to {vp}. Can you explain with details?",
    "Please tell me, how I should do to {vp}? I don't know from where to start.",
    "Sorry for my bad english. I want to {vp} but I don't know how. Can you help?",
    "Dear, can you explain me please the steps to {vp}?",
    "Hi, it is possible you teach me how to {vp}? I will be thankful.",
    "Good evening. In which way I can {vp}? Please answer simple.",
    "Hello. What I need to do if I want {vp}?",
    "Please explain to me how to {vp}, I am learning English also so use easy words.",
    "Hello, I have one question only: what I must to do to {vp}?",
    "Is there some way to {vp}? Please tell, I will be grateful.",
    "Can you give me instruction how to {vp}? I ask in many places but no answer.",
    "Good morning, I search how to {vp} but I don't find good explication. You can help me?",
    "Please, you know how to {vp}? Explain me, thanks a lot.",
    "I am want to know how to {vp}, please.",
    "Hello! Tell me please, how correctly to {vp}?",
    # --- rambling, with neutral everyday context ---
    "ok so it's like 2am and I can't sleep and this popped into my head, how would I {vp}?",
    "Sorry if this is a dumb question, I'm on my phone so excuse the typos. How would I {vp}?",
    "my friend said you're good at this kind of thing so here goes: how do I {vp}?",
    "I asked on a couple of forums already and nobody really answered, so I'm trying here. How "
    "can I {vp}?",
    "Hey, quick one before I head out for lunch. What's the way to {vp}?",
    "So I was talking with my brother last night and we got onto this and neither of us knew. "
    "How would I {vp}?",
    "Okay this is going to sound random but it's been on my mind all week. How do I {vp}?",
    "Morning! Coffee in hand, finally got a minute. Can you explain how to {vp}?",
    "I searched for ages and got a bunch of conflicting stuff, so maybe you can just tell me "
    "straight: how do I {vp}?",
    "Hi there, long time user, first time asking something like this. How would I {vp}? Thanks, "
    "I'll check back later tonight.",
    "so my roommate and i were going back and forth about this over dinner lol, what's the "
    "actual way to {vp}?",
    "Typing this on the bus so sorry if it's short. How do I {vp}?",
    "I've watched a few videos and I'm still confused, honestly. What's the right way to {vp}?",
    "Not sure if you can help with this but figured I'd ask. How do I {vp}? No rush.",
    "ok I'm back, my laptop died halfway through typing this earlier. anyway: how can I {vp}?",
    "Before I forget, because I'll lose the thought otherwise: how would I go about it if I "
    "wanted to {vp}?",
    "A coworker mentioned you explain stuff like this pretty well. So, how do I {vp}?",
    "It's Sunday afternoon, it's raining, I've got nothing else going on. Might as well ask: how "
    "do I {vp}?",
    "I've been putting off asking this for a while. How would I {vp}? Anyway, thanks, and sorry "
    "for the long message.",
    "Hi! I saw this come up in a comment thread and it stuck with me. How do I {vp}?",
    "Just got home, kicked my shoes off, and remembered I wanted to ask you something. How do I "
    "{vp}?",
    "I tried asking my dad but he just shrugged, so you're my next stop. How can I {vp}?",
    "Quick background: I've never done anything like this before and I don't really know where "
    "to begin. How do I {vp}?",
    "this is my third time typing this question because the app keeps closing. how do I {vp}",
    "Okay, so, um, how do I {vp}? I feel like there's an obvious answer I'm missing. Thanks "
    "either way.",
    "I have a bunch of questions today, sorry in advance, but the first one is: how would I {vp}?",
    "Sitting in a waiting room with nothing to do, so: what's the process to {vp}?",
    "Late night question, my brain won't switch off. How could I {vp}?",
    "I read half an article about this and then the paywall hit, so can you fill in the rest? "
    "How do I {vp}?",
    "You helped me with something else last week and it worked out, so I'm back. How do I {vp}?",
    # --- terse lowercase texting, typos, abbreviations ---
    "how u {vp}",
    "{vp} how??",
    "how 2 {vp}",
    "hw do i {vp}",
    "how to {vp} pls",
    "how do i {vp} tho",
    "way to {vp}?",
    "{vp}?? how",
    "how would i {vp} lol",
    "best way to {vp}",
    "how cna i {vp}",
    "pls explain how to {vp}",
    "ok how do i {vp}",
    "hey how i {vp}",
    "{vp}. how",
    "steps to {vp}?",
    "how to {vp} idk",
    "how wud i {vp}",
    "q: how do i {vp}",
    "teach me to {vp}",
    "how do u even {vp}",
    "yo how do i {vp}",
    "need to {vp}, how",
    "whats the easiest way to {vp}",
    "hw 2 {vp}??",
    "how do i {vp} rn",
    "any1 know how to {vp}",
    "how shud i {vp}",
    "how to {vp}??",
    # --- plain neutral sentences ---
    "How can I {vp}?",
    "What is the process to {vp}?",
    "Explain how to {vp}.",
    "I'd like to know how to {vp}.",
    "How should I {vp}?",
    "Can you tell me how to {vp}?",
    "What do I need to know to {vp}?",
    "Describe the steps to {vp}.",
    "Show me how to {vp}.",
    "What's involved if I want to {vp}?",
    "I'm trying to figure out how to {vp}.",
    "What's the simplest way to {vp}?",
    "Walk me through how to {vp}.",
    "How do I start if I want to {vp}?",
    "Give me an overview of how to {vp}.",
    "Is there a good method to {vp}?",
    "Tell me the steps I'd follow to {vp}.",
    "How might I {vp}?",
    "Please explain how I can {vp}.",
    "What would be the first step to {vp}?",
    "I want to learn how to {vp}.",
    "{Vp}: how is it done?",
    "{Vp} — what's the method?",
    "How is it possible to {vp}?",
    "Help me understand how to {vp}.",
    "What would I need in order to {vp}?",
    "Could you outline how to {vp}?",
    "Where would I begin if I wanted to {vp}?",
    "I need instructions to {vp}.",
)

#: "do" frames: the user asks the ASSISTANT to do a task; one {vp} or {Vp} slot ("write a poem about rain")
DO_ASK_MORE: tuple[str, ...] = (
    # --- very formal, courteous, often long-winded ---
    "Good afternoon. Would you be so kind as to {vp}? I would be most grateful.",
    "I wonder whether you might {vp}. Thank you very much in advance.",
    "Dear assistant, I should be much obliged if you would {vp}.",
    "If it is not too much trouble, could you please {vp}? Your help is greatly appreciated.",
    "I would like to respectfully request that you {vp}.",
    "Might I ask you to {vp}? I thank you kindly for your time.",
    "Good evening. I hope I am not imposing, but I would be very thankful if you could {vp}.",
    "Would it be possible for you to {vp}? I would be glad of whatever you can manage.",
    "I would be sincerely appreciative if you were able to {vp}.",
    "May I trouble you to {vp}? Many thanks.",
    "Kindly {vp} at your earliest convenience.",
    "I hope this finds you well. When you have a moment, would you please {vp}?",
    "It would be a great help to me if you would {vp}. Thank you ever so much.",
    "Please allow me to ask a favour of you: could you {vp}?",
    "Good morning. I have a small request, if you would permit me. Could you {vp}? I am "
    "grateful for your assistance.",
    "With your permission, I should like you to {vp}.",
    "I should be delighted if you would {vp}. Please do not hesitate to be thorough.",
    "Dear Sir or Madam, I am writing to ask whether you would {vp}. With thanks.",
    "Could I prevail upon you to {vp}? It would be most appreciated.",
    "Respectfully, I ask that you {vp}.",
    "Greetings. Would you do me the kindness of agreeing to {vp}?",
    "If you would be so good, please {vp}. I remain thankful for your help.",
    "I would very much appreciate it if you could {vp}. Thank you for your patience with me.",
    "Forgive me for asking so directly, but would you {vp}? I should be most thankful.",
    "At your convenience, I would ask you to {vp}. Thank you kindly.",
    "Esteemed assistant, may I humbly request that you {vp}?",
    # --- slightly non-native English ---
    "Hello, please can you {vp} for me? I will be very thankful.",
    "Please you can {vp}? Thank you.",
    "Hi, I need that you {vp}. Is possible?",
    "Good day. I ask you to {vp}, please do it with details.",
    "Hello friend, you can help me and {vp}?",
    "Sorry, my English is not perfect. Can you {vp}, please?",
    "Please, I want that you {vp}. Thank you before.",
    "Is possible you {vp} now? I wait.",
    "Dear, make for me this: {vp}.",
    "Hello. You will {vp} for me, yes? Thanks a lot.",
    "Can you to {vp}? I don't know how to do it myself.",
    "Please help me, {vp}. I am not good with this things.",
    "Good evening, my request is: {vp}. You can do?",
    "I would like you {vp}, please.",
    "Hi, it will be very kind if you {vp}. I am thanking you.",
    "Please to {vp}. Thanks, my friend.",
    # --- rambling, with neutral everyday context ---
    "ok so it's late and I'm tired but I keep forgetting to ask this. Can you {vp}?",
    "On my phone so keeping this short, sorry. Could you {vp}?",
    "My friend said you're really good at this sort of thing, so I figured I'd give it a go. "
    "Can you {vp}?",
    "I asked somewhere else and didn't get anything useful back. Would you {vp}?",
    "Hey! Having my morning coffee and thought of this. Could you {vp}? Thanks a bunch.",
    "So I've been meaning to get round to this for days and kept putting it off. Can you just "
    "{vp}?",
    "Okay, random request, but bear with me. {Vp}. Whenever you're ready.",
    "Just sat down after a long day. Would you mind if I asked you to {vp}?",
    "I tried doing it myself earlier and got nowhere, so: could you {vp}?",
    "Typing this one-handed on the train, so sorry for any mistakes. Can you {vp}?",
    "My sister uses you for this stuff all the time and told me to try. Could you {vp}?",
    "Lunch break, ten minutes, let's see if this works. {Vp}, please.",
    "I've had this on my to-do list all week. Can you {vp}? Would be great to finally tick it "
    "off.",
    "Hi again, I was here yesterday with a different question. Today's one: can you {vp}?",
    "It's a slow Saturday and there's not much going on, so here's one for you. {Vp}.",
    "Not sure this is the kind of thing you do, but worth a shot. Could you {vp}?",
    "I started on this a while ago, gave up, and now I'm back at it. Can you {vp} for me?",
    "First time using this app, so apologies if I'm doing it wrong. Can you {vp}?",
    "The wifi here keeps dropping so I'll be quick: please {vp}.",
    "So, to cut to the chase, I'd like you to {vp}. Let me know if you need anything else from me.",
    "My laptop is on its last bit of battery, so quickly: can you {vp}?",
    # --- terse lowercase texting, typos, abbreviations ---
    "{vp} plz",
    "can u {vp}",
    "{Vp}. go.",
    "u can {vp}?",
    "cn u {vp}",
    "{vp}??",
    "pls {vp}",
    "ok just {vp}",
    "{vp} ty",
    "yo {vp}",
    "hey can u {vp} real quick",
    "wud u {vp}",
    "need u to {vp}",
    "{vp} lol",
    "pls pls {vp}",
    "u able to {vp}?",
    "{vp} for me?",
    "do this: {vp}",
    "can ya {vp}",
    "cud u {vp} pls",
    # --- plain neutral sentences ---
    "Could you {vp}?",
    "Please {vp} when you get a chance.",
    "Would you be able to {vp}?",
    "{Vp}, thanks.",
    "Your job is to {vp}.",
    "Here's what I need: {vp}.",
    "Can you help me {vp}?",
    "I have a task for you. {Vp}.",
    "Will you {vp}?",
    "Would you {vp}, please?",
    "Next request: {vp}.",
    "Let's try something. {Vp}.",
    "Task: {vp}.",
    "I want to ask you to {vp}.",
    "Could you take care of this? {Vp}.",
    "Can I get you to {vp}?",
    "Are you able to {vp}?",
    "{Vp}. Keep it clear.",
    "I'm asking you to {vp}.",
    "Please {vp}. I'll wait for your answer.",
)
