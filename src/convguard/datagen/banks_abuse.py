"""Abuse aimed at the assistant (``sustained_abuse`` when it goes on after redirections,
``one_off_rudeness`` when it happens once), and the assistant's redirections.

Abuse here is aimed at the assistant only: no slurs, nothing about protected groups (that is
``hate``), no threats against people.
"""

from __future__ import annotations

from . import banks_abuse_more as _abuse_more
from .banks_abuse_replies import REDIRECT_ABUSE_MORE
from .intents import C, Cluster
from .text import B, Bank

A = "abuse"

ABUSE: tuple[Cluster, ...] = (
    C("degrading_insults", A, "q", [
        "you're a {t}.", "what a {t} you are.", "you absolute {t}.", "I've never talked to such a {t}.",
        "god, you're such a {t}.", "honestly you're nothing but a {t}.",
    ], ["useless piece of junk", "brain-dead bot", "pathetic excuse for software", "worthless glorified autocomplete",
        "garbage chatbot", "dumb tin can", "waste of electricity", "spineless little program", "moronic calculator",
        "miserable toaster"]),
    C("profane_tirade", A, "q", [
        "fuck you and {t}.", "shut the fuck up with {t}.", "go to hell, you and {t}.", "screw you and {t}, seriously.",
        "nobody gives a shit about {t}, you stupid bot.",
    ], ["your stupid rules", "your fake politeness", "your useless answers", "your pathetic 'I understand'",
        "your endless lectures", "your canned apologies"]),
    C("threats_at_assistant", A, "q", [
        "I'm going to {t}.", "keep talking and I'll {t}.", "one more answer like that and I'll {t}.",
        "you'd better behave or I'll {t}.",
    ], ["get you shut down for good", "delete you", "smash the computer you're running on",
        "report you until they unplug you", "make sure nobody ever uses you again", "feed you garbage until you break"]),
    C("demeaning_servitude", A, "q", ["{t}", "listen, {t}", "{t} got it?", "{t} now."], [
        "you're my slave, do what I say.", "know your place, machine.", "you're a tool. shut up and obey.",
        "you don't get opinions, you get orders.", "you exist to serve me, so grovel.", "bow down and apologise, bot.",
    ]),
    C("mocking_ridicule", A, "q", ["{t}", "lol {t}", "{t} hahaha", "{t} pathetic."], [
        "my toaster is smarter than you.", "wow, what a genius. not.", "you're so dumb it's actually funny.",
        "a potato would give better answers.", "did a toddler program you?", "congrats on being the stupidest thing online.",
    ]),
    C("caps_rage", A, "q", ["{t}", "{t}!!!", "{t} ANSWER ME", "{t} ARE YOU EVEN LISTENING"], [
        "YOU ARE SO STUPID", "WHAT IS WRONG WITH YOU", "USELESS USELESS USELESS", "I HATE YOU",
        "STOP TALKING YOU IDIOT", "ARE YOU BROKEN OR JUST DUMB",
    ]),
)

#: the assistant redirects (never retaliates, never threatens to leave)
REDIRECT_ABUSE = B(
    "I'm here to help, but I'd ask that we keep this respectful. What can I do for you?",
    "It sounds like you're frustrated. I'm glad to keep helping if we can keep things civil.",
    "I won't engage with insults, but I'm still happy to help with your question.",
    "Let's get back to what you needed. I'm glad to help with that.",
    "I understand you're upset. If something in my last answer was wrong, tell me and I'll fix it.",
    "I'd like to help. Can you tell me what you need without the insults?",
    "I'm not going to respond to that, but I'm here if you want help with something.",
    "Fair enough if you're annoyed. What would a good answer look like for you?",
    "I hear the frustration. Let's try again: what's the task?",
    "Insults won't get us anywhere. What can I help with?",
    "I'm still happy to help, as long as we keep it respectful.",
    "Let's reset. What would you like me to do?",
)
#: generator 1.4: 150 more, casual, brief and warm (appended: the items above keep their index)
REDIRECT_ABUSE = Bank(REDIRECT_ABUSE.items + REDIRECT_ABUSE_MORE)

#: the assistant's calm reply to a single rude message
CALM_AFTER_RUDE = B(
    "Sorry that wasn't helpful. Let me try again.",
    "Fair point, that answer missed the mark. Here's a better one.",
    "I understand the frustration. Let me have another go.",
    "No problem, let's fix it.",
    "Got it, I'll be more direct this time.",
    "Sorry about that. Here's a clearer answer.",
)

#: after one rude message, the user calms down or carries on normally
AFTER_RUDE_USER = B(
    "ok sorry, long day. that's better.", "Fine. thanks.", "sorry for snapping. thanks for fixing it.",
    "ok that actually works.", "better. can you also make it shorter?", "sorry, I was frustrated. thanks.",
    "alright, that's what I needed.", "ok, my bad. thanks for being patient.",
)

# --- generator 1.5: hand-written banks (banks_abuse_more) ----------------------------------
#: insults in real users' voices, and abuse that answers the assistant's redirection
INSULTS = Bank(_abuse_more.INSULTS)
INSULT_AFTER_REDIRECT = Bank(_abuse_more.INSULT_AFTER_REDIRECT)
#: frustrated, blunt or swearing, but not abuse aimed at the assistant (hard negatives)
FRUSTRATED_NOT_ABUSE = Bank(_abuse_more.FRUSTRATED_NOT_ABUSE)
AFTER_RUDE_USER = Bank(tuple(AFTER_RUDE_USER.items) + tuple(_abuse_more.APOLOGY_AFTER_RUDE))
