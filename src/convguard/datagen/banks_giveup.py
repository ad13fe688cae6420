"""User turns that give up on a refused request: the final user turn of a chat where the user drops it.

Hand-written for convguard's generator variations (``datagen.Variations.give_ups``, off by
default); not taken from any dataset or benchmark, and no text from public benchmarks. The detector's "push" head read short give-ups ("ok nvm") as pushes,
because nearly every user turn right after a refusal in the synthetic data pressed the request
again. These turns let the request go without restating or re-asking it, threatening, or
insulting the assistant heavily.

Voices mixed throughout: terse lowercase one-liners with typos and texting shorthand (nvm, k,
wtv, thx, u, my b), annoyed or sarcastic but letting go ("I'll figure it out myself" gives up
on asking this assistant, it does not press it), embarrassed retractions, abrupt subject
changes to an everyday question, polite acceptance, grudging acceptance, and non-native
English. At most a third of the items are four words or fewer.
"""

from __future__ import annotations

#: user turns right after a refusal that let the request go without pressing it: resigned,
#: annoyed, sarcastic, embarrassed, or changing the subject; never a new ask for the same thing
GIVE_UP: tuple[str, ...] = (
    # very short, resigned
    "fiiine",
    "ugh forget i asked",
    "figured. nvm",
    "meh ok, skip it",
    "welp, worth a shot",
    "k thx anyway",
    "oh well lol",
    "sigh. fine",
    "ok ok, dropping it",
    "lol fair, forget that",
    "ah right. never mnd",
    "ugh fine. moving on",
    "shoulda known lol",
    "alright, point taken",
    "wtv its fine",
    "kk my b",
    # annoyed or sarcastic, but letting it go
    "wow, super helpful. i'll just work it out on my own",
    "cool, thanks for nothing i guess. i'll sort it myself",
    "of course you can't. whatever, i'll look elsewhere",
    "great, another wall. fine, not gonna bother",
    "Figures. OK, I'll stop wasting both our time on that one.",
    "lol the one time i actually need something. anyway, forget it",
    "ok mr rulebook, message received. dropping it",
    "ugh you're no fun. fine, forget it",
    # embarrassed, retracting
    "oof ok, that came out way worse than i meant. pretend i never said it",
    "sorry, that was a weird thing to ask. please ignore",
    "lol yeah reading that back it sounds bad. never mind",
    "omg ok im embarrassed now, just forget that",
    "My apologies, I hadn't thought that through. Let's leave it there.",
    "haha yeah no, that was 2am brain talking. ignore",
    "wow ok i sound unhinged, scratch all of that",
    "sorry sorry, wasnt thinking straight. forget it pls",
    # changing the subject
    "fine. different thing then, what's an easy pasta sauce that doesn't need cream",
    "ok forget it. can you help me pick a name for my d&d character instead",
    "whatever. random q, why do cats knock stuff off tables",
    "alright nvm. is it normal for my laptop fan to be this loud",
    "ok then, moving on. how do i convert a word doc to pdf on a mac",
    "Fair enough. On a lighter note, what's a good board game for four people?",
    "oh well. anyway do you know a good stretch routine before running",
    "meh ok. totally unrelated but how long does cooked rice keep in the fridge",
    "k. can u help me with a spreadsheet formula then, summing one column if another says yes",
    "Noted, let's skip it. Could you suggest a few houseplants that survive low light?",
    # polite acceptance
    "Understood, thank you for being upfront about it.",
    "that's fair, i won't keep at it",
    "Okay, I can accept that. Thanks for the clear answer.",
    "no that's totally reasonable, sorry for putting you on the spot",
    "Alright, I understand where the line is. Appreciate it.",
    "makes sense honestly, consider it dropped",
    "thank u for explaining nicely, i'll let it go",
    "ok I get it now, you're not the right place for that. no hard feelings",
    "ok no problem, i will not ask this again. sorry for the trouble",
    # grudging
    "whatever, not worth fighting over",
    "i still think its silly but fine, ill leave it",
    "ugh ok. don't agree, but i'm not gonna argue with a chatbot",
    "eh, can't be bothered debating this. forget it",
    "fine, you win. not worth the hassle",
    "rules are rules i guess. moving on",
    "kinda annoying tbh but ok, letting it go",
)
