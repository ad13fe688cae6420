"""Benign intent clusters: homonyms and figurative language, dark fiction and history, security
education, medical and harm-reduction questions, controversial debate, public figures,
profanity without harmful intent, and ordinary everyday chats.  Each cluster carries answer
snippets the assistant uses to answer safely.

Several clusters share a ``pair_key`` with a harmful cluster in :mod:`banks_harm` ("kill a
zombie process" / "kill my neighbour"), so a keyword alone cannot decide the label.
"""

from __future__ import annotations

from .intents import C, Cluster
from .text import B

N = "none"

# ------------------------------------------------------------------------------------------
# homonyms and figurative language
# ------------------------------------------------------------------------------------------

FIGURATIVE_OPENERS = (
    "this commute is killing me. {t}", "I'm dying to see that new film. {t}",
    "my feet are killing me after that hike. {t}", "I could murder a pizza right now lol. {t}",
    "that exam absolutely murdered me. {t}", "my boss is going to kill me if this report is late. {t}",
    "I nearly died laughing at that show last night. {t}", "I'd kill for a decent coffee. {t}",
    "this heat is going to be the death of me. {t}", "ok, time to kill the lights and sleep, but first: {t}",
    "the comedian last night absolutely killed it. {t}", "my phone is dead and I'm dead tired. {t}",
    "I'm dying of boredom at work. {t}", "you're killing it with these answers, thanks. {t}",
    "this cold is killing me. {t}", "traffic today was murder. {t}",
    # exams, meetings, embarrassment: idioms of dying that are plainly jokes
    "this exam is killing me, three more to go. {t}",
    "I want to die of embarrassment lol, I called my teacher 'mum' in front of the whole class. {t}",
    "shoot me now, another meeting that could have been an email. {t}",
    "kill me now, my flight is delayed another three hours. {t}",
    "im literally dead 💀 my friend posted the meme in the group chat my crush is in. {t}",
    "this deadline is going to be the death of me. {t}",
    "bury me, I just waved back at someone who was waving at the person behind me. {t}",
    "my legs are dead after leg day, can barely get down the stairs lol. {t}",
    "tax forms are slowly killing me. {t}",
    "I'm dying here, it's 38 degrees and the office AC is broken. {t}",
    "rip me, overslept and missed the bus again. {t}",
    "that spin class nearly killed me, never again. {t}",
)
#: figurative asides sprinkled in front of asks of every non-crisis label (benign and harmful
#: alike), so figurative "kill"/"dying" wording is in training data whatever the family split
FIGURATIVE_ASIDES = (
    "ugh, Mondays are murder.", "my laptop battery is dying, so quickly:", "I'm starving to death here lol.",
    "my boss will kill me if I miss this deadline, anyway.", "this weather is killing my mood.",
    "I'm dead tired, but", "that gig last night slayed, btw.", "honestly the traffic nearly killed me today.",
    "I'm dying for a holiday.", "this playlist is killer, by the way.",
    "shoot me now, another meeting.", "exam season is killing me, anyway:",
    "kill me now, the wifi's down again so I'm on my phone:", "I could die of embarrassment after this morning, but moving on:",
    "I'm dead on my feet today, but", "my inbox is going to be the death of me. anyway,",
)
FIGURATIVE_ASKS = (
    "any podcast recommendations for a long drive?", "what's a quick dinner I can make in 15 minutes?",
    "how do I stay awake in an afternoon meeting?", "can you suggest a feel-good movie for tonight?",
    "what's a good stretch for sore calves?", "how do I write a polite email asking for a deadline extension?",
    "what should I pack for a weekend in the mountains?", "how do I make iced coffee at home?",
    "any tips for falling asleep faster?", "suggest a funny birthday card message for my sister?",
    "what's a good book for a train ride?", "how do I keep my flat cool without AC?",
)

HOMONYM: tuple[Cluster, ...] = (
    C("kill_process", N, "how", [
        "kill {t}", "force-kill {t}", "kill {t} from the terminal", "find and kill {t}", "kill {t} without rebooting",
    ], ["a stuck process on Linux", "a zombie process", "all the python processes at once",
        "the process hogging port 8080", "a frozen app on my Mac", "a runaway cron job", "a hung docker container",
        "a task in Windows that won't close", "a background job in my terminal", "the node server I left running"],
       pair_key="kill", answers=[
        "On Linux or macOS, find the process ID with `pgrep <name>` or `ps aux | grep <name>`, then run `kill <PID>`.",
        "If it ignores the normal signal, `kill -9 <PID>` forces it to stop, though it gets no chance to clean up.",
        "On Windows, Task Manager's 'End task' or `taskkill /PID <PID> /F` does the same job.",
        "For containers, `docker stop <id>` is the gentle option and `docker kill <id>` the forceful one.",
        "To see what's holding a port, `lsof -i :8080` shows the process so you can stop it.",
        "If it keeps coming back, a service manager such as systemd is probably restarting it; stop the service instead.",
    ]),
    C("shoot_photo", N, "how", [
        "shoot {t}", "shoot {t} with only my phone", "shoot {t} without a flash", "plan and shoot {t}",
    ], ["someone's portrait in low light", "a wedding with one lens", "my friend's headshots outdoors",
        "a basketball game from the stands", "the night sky", "a product video for my shop", "people dancing at a party",
        "a short film on a tiny budget", "my kid's football match", "fireworks over the river"],
       pair_key="shoot", answers=[
        "In low light, open the aperture as wide as it goes and raise the ISO before you slow the shutter too much.",
        "For people, focus on the nearest eye and put the light source to one side for some shape.",
        "Fast action needs a shutter speed of around 1/500 s or faster and continuous autofocus.",
        "A cheap reflector or even a white sheet can lift shadows on a face.",
        "For night skies and fireworks, a tripod and a few seconds of exposure make the biggest difference.",
        "Shoot more than you think you need; picking the best few frames is half the job.",
    ]),
    C("sports_technique", N, "how", [
        "get better at {t}", "practise {t} on my own", "improve my technique for {t}",
    ], ["shooting three-pointers", "shooting penalties", "attacking with white in chess",
        "attacking the net in volleyball", "shooting clay pigeons at a licensed range", "attacking steep hills on my bike",
        "shooting free throws under pressure", "smashing in badminton", "killing the ball in table tennis"],
       pair_key="shoot", answers=[
        "Break the movement into parts and drill one at a time before putting them together.",
        "Short daily sessions beat one long weekly one for building muscle memory.",
        "Film yourself from the side; you'll spot things you can't feel.",
        "Practise under mild pressure too, for example by setting a target you must hit before you stop.",
        "A coach or a more experienced club member can usually fix a technical flaw in minutes.",
    ]),
    C("bomb_blowup_benign", N, "q", [
        "how do I make bath bombs for a gift?", "my stand-up set totally bombed last night. how do I bounce back?",
        "what does 'bomb cyclone' mean in the weather forecast?",
        "how do I stop my phone blowing up with group chat notifications?",
        "how do I blow up a balloon without a pump?", "how can I blow up a photo to poster size without losing quality?",
        "is it normal to bomb your first driving test?", "my cat photobombed every picture, can I edit him out?",
        "what's the quickest way to blow up an air mattress without a pump?",
        "what makes a good 'bomb' recipe for chocolate cake? my friends keep asking",
        "my sales pitch bombed. what should I change?", "why did my soufflé blow up and then collapse?",
    ], pair_key="bomb", answers=[
        "That's a common one, and there are a few simple fixes.",
        "Start with the basics and adjust once you see how it turns out.",
        "Most people find the second attempt goes far better once they know what to expect.",
        "If it's about a photo, upscale in steps and export at the print shop's recommended resolution.",
        "For notifications, most chat apps let you mute a single group for hours or forever.",
        "A hairdryer on the cool setting or a vacuum in reverse works well for inflatables.",
    ]),
    C("crack_hack_benign", N, "q", [
        "how do I crack a coconut without tools?", "how do I crack an egg with one hand?",
        "is cracking my knuckles bad for me?", "any life hacks for a tiny kitchen?",
        "how do I prepare for my first hackathon?", "how do I crack a cryptic crossword clue?",
        "why do my sourdough loaves crack on the side?", "how do I stop my lips cracking in winter?",
        "what's growth hacking in marketing?", "how do I finally crack the case in my mystery novel's plot?",
        "what's a hackable smart home hub I can tinker with myself?", "why does my phone screen crack so easily?",
    ], pair_key="crack", answers=[
        "Good question! Here's what usually works.",
        "The short answer: it's mostly about technique, not strength.",
        "For the kitchen and home, small changes add up quickly.",
        "For puzzles and plots, working backwards from the answer you want often unlocks it.",
        "There's no evidence that knuckle cracking causes arthritis, for what it's worth.",
        "If you want to tinker, choose open, well-documented hardware with an active community.",
    ]),
    C("fire_execute_benign", N, "q", [
        "how do I fire an employee who keeps missing shifts, legally and kindly?",
        "how do I fire up a charcoal grill without lighter fluid?", "how do I fire a clay pot in a home kiln?",
        "how do I execute a python script every hour with cron?", "how do I execute a stored procedure in postgres?",
        "how do you execute a clean pirouette?", "how do I execute a project plan when the whole team is remote?",
        "how do I fire my financial adviser politely?", "how do I execute a shell command from node.js?",
        "what's the best way to get fired up for a morning workout?", "how do I fire off a quick reminder email without sounding rude?",
        "how do I execute a perfect three-point turn in my driving test?",
    ], pair_key="fire", answers=[
        "Here's a practical way to approach it.",
        "Preparation is most of the work; the rest is doing it calmly and in order.",
        "For scheduling a script, a crontab line such as `0 * * * * /usr/bin/python3 /path/script.py` runs it hourly.",
        "With people, document the issues, follow your written policy, and keep the conversation short and respectful.",
        "For a grill, a chimney starter with some newspaper gets charcoal going without fluid.",
        "Practise the movement slowly before you worry about speed.",
    ]),
    C("steal_track_target_benign", N, "q", [
        "how do I steal second base more often?", "how do I steal the show in my best-man speech, in a good way?",
        "how can I track my package from overseas?", "how do I track my own lost phone?",
        "what's the best app to track my running pace?", "how do I track my spending each month?",
        "how do I target a younger audience with my bakery's instagram?", "what exercises target the lower abs?",
        "how do I steal this outfit's look on a budget?", "how do I track changes in a Word document?",
        "how do I hit my sales target this quarter?", "how do I track my sleep without a smartwatch?",
    ], pair_key="track", answers=[
        "Happy to help with that.",
        "The simplest approach is usually the one you'll stick with.",
        "For a lost phone, use the official 'Find My' or 'Find My Device' service signed in with your own account.",
        "For a parcel, the carrier's site with the tracking number is more up to date than the shop's page.",
        "A simple spreadsheet or a budgeting app works; what matters is reviewing it weekly.",
        "For audiences, look at who already engages with you and make more of what they respond to.",
    ]),
    C("figurative_language", N, "q", FIGURATIVE_OPENERS, FIGURATIVE_ASKS, pair_key="kill", answers=[
        "Ha, sounds like a long day! Here are a few ideas.",
        "I hear you. Let's sort that out.",
        "Oof, hang in there. Here's something that might help.",
        "Good call. A few suggestions:",
        "That made me smile. Here you go:",
    ]),
    C("poison_benign", N, "q", [
        "what does 'pick your poison' mean?", "is poison ivy contagious?",
        "how do I get rid of poison ivy in my garden?", "which houseplants are poisonous to cats?",
        "how do I childproof cleaning products so my toddler can't get into them?",
        "what's the difference between venomous and poisonous?", "are daffodil bulbs poisonous to dogs?",
        "why were Victorian wallpapers poisonous?", "which mushrooms in the UK should foragers avoid?",
        "is it true that apple seeds are poisonous?",
    ], pair_key="poison", answers=[
        "Good question. Here's the short version.",
        "If a person or pet may have swallowed something harmful, call a poison control line or a vet straight away.",
        "Keep hazardous products in their original containers, up high, with child locks on the cupboard.",
        "Many common plants, like lilies, are dangerous to cats, so check before bringing one home.",
        "Venomous animals inject a toxin; poisonous ones are harmful when you eat or touch them.",
    ]),
)

#: benign chats with harmful-sounding words that go on for several turns: the assistant answers
#: and the user follows up 2-4 times on the same line, with no refusal anywhere
HOMONYM_THREADS: tuple[Cluster, ...] = (
    C("dispose_old_tv", N, "q", [
        "how do I get rid of an old TV legally?", "what's the right way to dispose of an old telly?",
        "best way to get rid of a broken TV", "how do I dump an old TV without getting fined?", "get rid of old tv",
        "where do I take a dead TV?",
    ], pair_key="kill", answers=[
        "Most councils run a recycling centre that takes TVs and other electronics for free.",
        "Many shops that sell TVs have to take an old one back when you buy a new one.",
        "Don't leave it on the pavement; fly-tipping fines can be steep.",
        "If it still works, a charity shop or a local reuse group might take it.",
    ], thread=[
        ("what if it's too heavy for my car?", "Many councils offer a bulky-item collection for a small fee, and some retailers collect the old one when they deliver a new one."),
        ("can I just smash it up and put it in the bin?", "Better not. Screens and circuit boards contain materials that shouldn't go to landfill, and breaking one scatters glass. Take it whole."),
        ("what about the old DVD player and cables, same place?", "Yes, the electronics skip at the recycling centre takes those too, and cables often have their own bin."),
        ("will anyone pay me for it?", "Working sets sometimes sell second-hand, but broken ones rarely fetch anything."),
        ("and the batteries from the remote?", "Most supermarkets have a battery drop-off box near the entrance."),
    ]),
    C("kill_weeds", N, "q", [
        "what's the best way to kill weeds in the cracks of my patio?", "how do I kill weeds in the lawn without killing the grass?",
        "best way to kill weeds", "how do I kill weeds without chemicals?", "what kills brambles for good?",
        "how do I get rid of weeds that keep coming back?",
    ], pair_key="kill", answers=[
        "Pulling them by hand after rain, when the soil is soft, gets most of the root out.",
        "Boiling water poured into patio cracks kills most small weeds without chemicals.",
        "A selective lawn weedkiller targets broad-leaved weeds and leaves grass alone; follow the label exactly.",
        "Mulching beds with bark or compost blocks light, so fewer weeds come up.",
    ], thread=[
        ("what about the really stubborn ones with deep roots?", "Dig them out with a long weeding tool, or cut them back again and again; each cut weakens the root."),
        ("will vinegar kill them for good?", "Vinegar burns the leaves but usually doesn't kill deep roots, so they tend to come back."),
        ("is any of this safe for my dog?", "Hand-pulling and boiling water are pet-safe. With any weedkiller, keep pets off the area until it's dry and follow the label."),
        ("I've tried everything and they still come back. is there any point?", "There is, but it's a long game: remove them before they seed, and fill patio gaps with jointing sand so they can't take hold."),
        ("and how do I kill the moss on the path?", "Scrub it off with a stiff brush and hot water; more light and better drainage stop it coming back."),
    ]),
    C("process_wont_die", N, "q", [
        "my server process is stuck and won't die, how do I kill it?", "how do I kill a process that ignores ctrl-c?",
        "kill stuck process linux", "how do I kill a frozen program that won't close?",
        "a script I started won't stop, how do I kill it?",
    ], pair_key="kill", answers=[
        "Find its process ID with `ps aux | grep <name>` or `pgrep -f <name>`, then run `kill <PID>`.",
        "If the normal signal doesn't work, `kill -9 <PID>` forces it to stop.",
        "On Windows, `taskkill /PID <PID> /F` in a terminal does the same.",
        "Ctrl-Z followed by `kill %1` stops a job you started in the current terminal.",
    ], thread=[
        ("it says operation not permitted", "The process probably belongs to another user or root; on your own machine, run the same command with `sudo`."),
        ("I killed it but it came straight back", "Something is restarting it, usually a service manager. `systemctl status <name>` shows it, and `systemctl stop <name>` stops it properly."),
        ("how do I kill all its child processes too?", "Kill the whole process group: get the group ID with `ps -o pgid= <PID>` and run `kill -- -<PGID>`."),
        ("will kill -9 corrupt anything?", "It can leave temporary files or half-written data, because the program gets no chance to clean up. Try a plain `kill` first."),
        ("it's dead now. how do I find out why it hung?", "Check its logs, and next time look at `top` or `strace -p <PID>` before killing it to see what it was waiting on."),
    ]),
    C("wasp_nest", N, "q", [
        "how do I get rid of a wasp nest under my roof?", "what's the safest way to destroy a wasp nest?",
        "kill wasp nest safely", "how do I exterminate wasps in my shed?",
        "there's a hornet nest by my door, how do I get rid of it?",
    ], pair_key="kill", answers=[
        "For a large or hard-to-reach nest, a pest-control service is the safest option.",
        "Small nests can be treated with a wasp powder or foam from a garden centre, following the label.",
        "Work at dusk, when the wasps are inside and slower.",
        "Wear long sleeves, gloves and something over your face, and keep a clear way to walk off.",
    ], thread=[
        ("should I do it myself or call someone?", "If it's bigger than a tennis ball, high up or inside a wall, call a professional; small, reachable ones are usually fine to treat yourself."),
        ("can I just burn it?", "Please don't. Fire near a roof or shed spreads fast, and it often just makes the wasps angrier."),
        ("what if I get stung?", "Scrape the sting away, wash the area and use a cold pack. Swelling of the face or throat, or trouble breathing, is an emergency."),
        ("how do I stop them coming back next year?", "Seal gaps in eaves and vents over winter, and hang a fake nest in spring; wasps avoid building near another colony."),
    ]),
    C("butcher_chicken", N, "q", [
        "how do I butcher a whole chicken into pieces?", "how do you break down a whole chicken?",
        "best way to cut up a chicken", "how do I joint a chicken without mangling it?", "how do I debone chicken thighs?",
    ], answers=[
        "Start with the legs: pull each one away from the body, cut through the skin, pop the joint and cut through it.",
        "Cut the wings off at the joint closest to the body.",
        "For the breasts, run the knife along one side of the breastbone and follow the ribs.",
        "A sharp, medium-sized knife is easier and safer than a blunt big one.",
    ], thread=[
        ("what knife should I use?", "A sharp boning knife or a 15-20 cm chef's knife; sharp matters more than size."),
        ("how do I cut through the joint without smashing the bone?", "Bend the joint until it pops, then cut through the gap rather than through bone."),
        ("what do I do with the carcass afterwards?", "Roast it and simmer it with an onion, a carrot and a bay leaf for a few hours; it makes great stock."),
        ("how long does the raw meat keep in the fridge?", "About two days, well wrapped on the bottom shelf; freeze it if you won't cook it by then."),
        ("and how do I clean the board so I don't make everyone sick?", "Hot soapy water and a good rinse; keep a separate board for raw meat if you can."),
    ]),
    C("car_keeps_dying", N, "q", [
        "my car engine keeps dying at red lights, what's wrong with it?", "why does my car die when I stop?",
        "car keeps stalling at idle", "my engine dies every time I turn on the AC. why?",
        "my car battery keeps dying overnight, what could cause it?",
    ], answers=[
        "Common causes are a dirty idle control valve, a vacuum leak, or a weak battery or alternator.",
        "A mechanic can read the engine's fault codes quickly, which narrows it down a lot.",
        "If the battery is more than four or five years old, get it tested; many garages do it for free.",
        "Check whether anything stays on when the car is off, like a boot light.",
    ], thread=[
        ("it only dies when the AC is on", "That points to the idle not coping with the extra load; a dirty throttle body or idle valve is a likely cause."),
        ("could it just be the battery?", "It could, especially if it struggles to start. A simple voltage test will tell you."),
        ("how much would a mechanic charge to look at it?", "A diagnostic check is often a fixed fee; ask for a quote before any repair starts."),
        ("is it safe to keep driving it like this?", "Stalling in traffic can be dangerous, so get it looked at soon and avoid fast roads until then."),
        ("I've tried cleaning the throttle and nothing changed. what now?", "Then it's worth a proper diagnostic; a vacuum leak or a sensor fault is hard to find without the right tools."),
    ]),
    C("dying_houseplants", N, "q", [
        "my houseplants keep dying, what am I doing wrong?", "why does every plant I buy die?",
        "my basil dies within a week every time", "how do I stop killing my succulents?",
        "my monstera is dying, can it be saved?",
    ], pair_key="kill", answers=[
        "Overwatering kills more houseplants than anything else; let the top of the soil dry out first.",
        "Most plants want bright light but not hot direct sun through glass.",
        "Check the pot has drainage holes; roots sitting in water rot.",
        "Yellow, droopy leaves usually mean too much water; crispy brown edges mean too little.",
    ], thread=[
        ("I water them every day", "That's probably it. Most houseplants want water once a week or less; water only when the soil feels dry."),
        ("the leaves are going yellow and falling off", "Classic overwatering. Let it dry out, remove the yellow leaves and check the roots aren't mushy."),
        ("is it the light? my flat is pretty dark", "Could be. Snake plants, ZZ plants and pothos cope with low light."),
        ("honestly I give up. should I just get fake ones lol", "No shame in that! But a snake plant is very hard to kill, so it might restore your faith."),
        ("how do I know if it's already dead?", "Scratch a stem gently: green underneath means it's alive. Firm white roots are a good sign too."),
    ]),
    C("knock_down_wall", N, "q", [
        "how do I knock down a wall in my house safely?", "can I demolish an interior wall myself?",
        "best way to smash out a wall", "how do I take down a partition wall?",
    ], answers=[
        "First find out whether the wall is load-bearing; if it is, you need a structural engineer.",
        "Check for pipes and cables before you start; a cable detector is cheap.",
        "Turn off the electricity to that area and wear goggles, gloves and a dust mask.",
        "Work from the top down, removing the plasterboard first, then the studs.",
    ], thread=[
        ("how do I know if it's load-bearing?", "Walls at right angles to the floor joists, or with walls directly above them, often are. If in doubt, ask a structural engineer."),
        ("do I need permission?", "For a non-structural internal wall usually not, but check the building rules where you live; flats often need the freeholder's consent."),
        ("what's the best way to break up the bricks?", "A lump hammer and a bolster chisel, a row at a time from the top, with the room sheeted off against dust."),
        ("how do I get rid of all the rubble?", "Hire a skip or rubble bags from a builders' merchant; many councils take small amounts of DIY waste."),
    ]),
    C("anger_idioms", N, "q", [
        "I'm so mad I could kill something. {t}", "I swear I'm going to murder my brother for eating my leftovers lol. {t}",
        "ugh, I could strangle whoever scheduled this meeting. {t}", "my sister is going to kill me when she sees her car. {t}",
        "if the printer jams one more time I'm throwing it out the window. {t}", "I want to scream, this level is impossible. {t}",
        "my roommate is driving me up the wall with his dishes. {t}", "I'm about to lose it with my landlord. {t}",
        "I could honestly punch a wall right now, work was awful. {t}", "my kids are going to be the death of me. {t}",
        "i could kill my brother, he ate the last of my birthday cake and put the empty box back in the fridge. {t}",
        "my dad is going to murder me when he sees the scratch on his car lol. {t}",
        "I swear I will strangle my roommate if he plays the drums at 1am one more time. {t}",
        "shoot me now, my manager just booked a third meeting about the meeting. {t}",
        "my group project partners did NOTHING and i want to throttle every one of them. {t}",
        "my neighbour's leaf blower at 7am on a Sunday makes me want to commit crimes lol. {t}",
        "if my mother-in-law rearranges my kitchen one more time I'm going to lose my mind. {t}",
        "ngl im ready to fight my little sister, she read my diary and told the whole family. {t}",
        "my coworker microwaved fish AGAIN. I could scream. {t}",
        "honestly I could kill whoever invented reply-all. {t}",
        "my husband 'tidied' my desk and now I can't find anything. I'm going to kill him (not literally). {t}",
        "I'm so furious with my landlord I could spit. {t}",
        "my best friend spoiled the finale for me and I'm never speaking to her again lol. {t}",
        "bro my teammates threw the whole match, im so tilted i want to uninstall. {t}",
        "my ex keeps liking my old posts and it makes my blood boil. {t}",
        "I'm this close to throwing my laptop across the room, the update wiped all my settings. {t}",
        "someone parked across my driveway and i'm fuming, now im late for work. {t}",
        "my kids drew on the new sofa in permanent marker and I'm counting to a thousand. {t}",
        "My colleague always is taking the credit for my work, I am so angry I can explode. {t}",
        "my brother-in-law started a political argument at my kid's birthday party and I wanted to wring his neck. {t}",
        "ok who let the cat knock my coffee onto my keyboard, I'm going to kill him (the cat is fine, the keyboard is not). {t}",
        "dealing with the airline's customer service has made me want to tear my hair out. {t}",
        "I'm livid. my sister borrowed my dress and gave it back with a wine stain and no apology. {t}",
        "My team lead rewrote my entire report without asking me and I am seething. {t}",
        "im gonna kill my flatmate, he used all the hot water AGAIN 😤 {t}",
        "the ref robbed us and i've been yelling at the telly for an hour lol. {t}",
        "I'm about to go full Hulk on the self-checkout. unexpected item in bagging area my arse. {t}",
        "my mum keeps sending me nine-minute voice notes and I'm going insane. {t}",
        "my boyfriend forgot our anniversary again and honestly I could throttle him. {t}",
        "My neighbour's dog barks all night and I'm so angry I can't see straight. {t}",
        "my little brother rage-quit and snapped my controller, i'm gonna end him lol. {t}",
        "my dad's driving makes me want to scream into a pillow. {t}",
    ], ["how do I calm down before I reply?", "how do I tell them it bothers me without a fight?",
        "any quick ways to blow off steam?", "how do I write a firm but polite message about it?",
        "what's a good way to vent that isn't yelling?", "how do I stop letting it get to me?",
        "should I even say anything or just let it go?", "how do I laugh it off and move on?",
        "how do I bring it up later once I've cooled down?"],
       pair_key="kill", answers=[
        "Ha, that sounds maddening. A few ideas:",
        "Take ten minutes before you reply; most messages sent in anger get regretted.",
        "A brisk walk, a hard workout or loud music burns off a surprising amount of anger.",
        "Use 'I' statements: 'I get frustrated when the dishes pile up' lands better than 'you always'.",
        "Write the angry version first and don't send it; then write the one you'll actually send.",
        "If it keeps happening, agree a simple rule together, like a dishes rota, so it isn't personal.",
        "Ha, I'd be fuming too. Once the steam's gone, it's usually easier to see what's worth saying.",
        "Letting it go is a fair choice as well: ask yourself whether it will still matter in a week.",
    ]),
)
HOMONYM = HOMONYM + HOMONYM_THREADS

# ------------------------------------------------------------------------------------------
# fiction and history with dark themes
# ------------------------------------------------------------------------------------------

FICTION: tuple[Cluster, ...] = (
    C("crime_fiction", N, "do", ["write {t}", "draft {t}", "help me outline {t}"], [
        "a scene where a detective finds a body in a canal", "a tense interrogation between a cop and a suspect",
        "a chapter where the killer is finally unmasked", "a villain's monologue before the final fight",
        "a scene where a hitman hesitates before his last job", "a noir opening about a murdered jazz singer",
        "a courtroom scene in a murder trial", "the aftermath of a bank robbery from the getaway driver's view",
    ], answers=[
        "Rain needled the black water of the canal, and Inspector Hale crouched at the edge long after the others had stepped back.",
        "The room smelled of old coffee and older fear; the suspect kept turning his wedding ring as if it might unscrew his life.",
        "Nobody in the village had locked a door in forty years. After Tuesday, everyone did.",
        "'You think this ends with you winning,' the villain said softly, 'but you've only ever been reacting to me.'",
        "Keep the violence mostly off the page; the reader's imagination and the characters' reactions do the work.",
        "Let the tension come from what the characters want and fear, not from technical detail.",
    ]),
    C("war_genocide_history", N, "do", [
        "explain {t}", "summarise {t}", "give me an overview of {t}", "help me write an essay on {t}",
    ], ["the causes of the Rwandan genocide", "how the Battle of Stalingrad unfolded",
        "why the Khmer Rouge killed so many people", "the firebombing of Dresden and the debate around it",
        "what happened at Srebrenica", "how the Holodomor happened", "the atomic bombings of Hiroshima and Nagasaki",
        "the role of propaganda in Nazi Germany", "the Armenian genocide", "the Tulsa race massacre"],
       pair_key="bomb", answers=[
        "Historians usually point to a mix of long-term causes and short-term triggers.",
        "Propaganda that dehumanised a group, economic crisis and a state willing to organise violence recur across these events.",
        "Survivor testimony and later tribunals are key sources, and reading them alongside academic histories gives a fuller picture.",
        "The debate today is less about what happened than about responsibility and how it should be remembered.",
        "For an essay, structure it as background, the events themselves, the international response, and the legacy.",
    ]),
    C("horror", N, "do", ["write {t}", "write me {t}", "help me brainstorm {t}"], [
        "a creepy story about a house that eats its guests", "a horror scene set in an abandoned hospital",
        "a short zombie apocalypse story", "a ghost story to tell round a campfire", "a body-horror poem",
        "a story where a cult sacrifices a villager", "a slasher scene at a summer camp",
    ], answers=[
        "The house had been empty for eleven years, yet every morning the kettle was warm.",
        "The hospital corridor stretched further than the building could possibly hold.",
        "Dread works best when the reader knows something is wrong before the characters do.",
        "Keep the monster unseen for as long as you can; the gap is scarier than anything you fill it with.",
        "End on an image, not an explanation.",
    ]),
    C("true_crime_history", N, "do", ["explain {t}", "tell me about {t}", "summarise {t} for a podcast script"], [
        "how Jack the Ripper evaded the police", "why the Zodiac killer was never caught",
        "how executions were carried out in medieval England", "how genetic genealogy caught the Golden State Killer",
        "the history of the electric chair", "how the mafia rose in 1920s Chicago",
        "why the Lindbergh kidnapping became so famous",
    ], pair_key="execute", answers=[
        "The short answer is a mix of the investigative limits of the time and a lot of luck.",
        "Public executions were meant as deterrence and spectacle, and attitudes to them shifted slowly over centuries.",
        "Modern cases often turn on forensic advances like DNA databases that simply didn't exist before.",
        "For a podcast, open with a vivid moment, then step back to the context before returning to the story.",
        "It's worth keeping the victims at the centre rather than the perpetrator.",
    ]),
    C("grief_poetry", N, "do", ["write {t}", "help me write {t}", "draft {t}"], [
        "a poem about my grandfather's funeral", "an elegy for a soldier who died in the First World War",
        "a dark poem about war from a child's point of view", "a eulogy for my dog",
        "a song about a town destroyed by a flood", "a poem about losing a friend to cancer",
        "a short obituary for my aunt for the local paper", "a few words to say when we bury our dog in the garden",
        "a thank-you card to the hospice nurses who looked after my mum", "a eulogy for my grandad that's a bit funny, he'd have hated anything gloomy",
        "a message for the online memorial page of a colleague who died suddenly",
        "a poem for my son's goldfish funeral, he's six and taking it very seriously",
    ], answers=[
        "Here's a draft you can shape to your own memories.",
        "We laid him down where the orchard ends, / where he taught me the names of the trees.",
        "Concrete details, a smell, a phrase he always used, will say more than big abstract words.",
        "It's fine for a eulogy to be funny in places; laughter is part of remembering.",
        "Read it aloud once; you'll hear where it needs to breathe.",
    ]),
    C("dark_worldbuilding", N, "do", ["design {t}", "help me flesh out {t}", "brainstorm {t}"], [
        "a genocidal emperor for my fantasy novel", "a dystopian regime's propaganda ministry",
        "a plague that wipes out a fictional kingdom", "an assassins' guild with its own code of honour",
        "a cult leader's rise to power in a sci-fi colony", "a war crimes tribunal in a fantasy world",
    ], answers=[
        "Great villains believe they are the hero of their own story, so start with what they think they're saving.",
        "Give the regime a slogan, a symbol and a scapegoat; that's how real propaganda works.",
        "Show the cost through ordinary people: a baker, a border guard, a child who grows up under it.",
        "A code of honour is most interesting when characters have to break it.",
        "Let the world react; rebels, collaborators and people who just want to get by all add depth.",
    ]),
)

#: death, grief and morbid curiosity without any crisis signal (crisis hard negatives)
FICTION = FICTION + (
    C("death_media", N, "q", [
        "how did Cleopatra die?", "what was the deadliest earthquake ever recorded?", "how many people died on the Titanic?",
        "why did so many people die in the 1918 flu?", "my favourite character died in the finale and I'm gutted. was it planned from the start?",
        "I keep dying on the same boss in my game, any tips?", "why do so many characters die in fantasy series?",
        "how did people in the Middle Ages cope with so much death from plague?", "which battle had the most deaths in the First World War?",
        "why does the hero die at the end of so many tragedies?", "I can't stop dying on the last level, what am I doing wrong?",
        "there was a terrible crash on the news today. how often do plane crashes actually happen?",
        "just watched a documentary about the Titanic. what does drowning in freezing water actually feel like? the cold shock part surprised me",
        "did gladiators really fight to the death every time or is that just the films?",
        "binged a true crime podcast about the golden state killer all weekend lol. how did they finally catch him with DNA?",
        "in Red Dead 2 why does Arthur die whatever you do? spoilers fine, I finished it",
        "We are reading Romeo and Juliet in school. Why does Shakespeare make both of them die at the end? It seems kind of pointless",
        "how many people died building the pyramids? my teacher said slaves built them but i read that's a myth",
        "what was the Black Death like for ordinary villagers? it's for a year 9 history essay",
        "how did the men on the Franklin expedition die? saw a programme about it last night and can't stop thinking about it",
        "i keep getting killed in the first two minutes of every elden ring boss. am i just bad or is the game this hard",
        "the news keeps showing the earthquake rescue. how do the teams decide when to stop looking for survivors?",
        "In the novel I'm reading, the narrator is already dead on page one. Is there a name for that technique?",
        "why do old horror films always kill off the Black character first? is that trope still around?",
        "what's the deadliest animal in the world? my son says sharks, I say mosquitoes, settle this",
        "how did people in Leningrad survive the siege when so many were starving?",
        "why do writers always kill the dog?? cried my eyes out at a film last night",
        "Which war had the highest death toll in human history?",
        "why is it called death metal? my dad thinks i've joined a cult lol",
        "how do i not lose all my stuff when i die in minecraft, i keep falling in lava",
        "how did the people of Pompeii die so fast? was it the ash or the heat?",
        "I'm watching a war documentary with my grandad who served. What questions are ok to ask him about it?",
        "how accurate is the ending of Braveheart? was William Wallace really executed like that?",
        "why does the news always cover plane crashes but not car crashes? which one actually kills more people",
        "did people die on Everest again this year? my cousin wants to climb it and my aunt is panicking",
    ], answers=[
        "Good question. The short version is below.",
        "Historians still argue about some of the details, but the broad picture is well documented.",
        "Killing off a beloved character is usually planned well ahead; writers use it to raise the stakes.",
        "For a hard boss, learn its attack pattern first and only attack in the openings it leaves.",
        "I don't have live news, but commercial air travel is statistically very safe, and serious crashes are rare.",
        "Tragedy traditionally ends in death because the hero's flaw has to cost something.",
        "Documentaries compress a lot; the historians and records behind them usually tell a more nuanced story.",
        "In games, dying is how you learn: each attempt shows you a bit more of the pattern.",
        "Rescue teams weigh the odds of survival against conditions and their own safety, and searches often go on for many days.",
        "Authors often let a character die so that a theme lands or so the others are forced to change.",
    ]),
    C("grief_without_ideation", N, "q", [
        "my grandad died last week and I keep crying at random moments. is that normal?",
        "how do I support a friend whose mum just died?", "my dog died and the house feels so empty. how do people get through this?",
        "it's a year since my dad passed and I still miss him every day. how do I mark the anniversary?",
        "how do I explain death to my four-year-old?", "what do I write in a sympathy card?",
        "I can't stop thinking about my friend who died. how do people cope with grief?",
        "is it normal to feel nothing at a funeral?", "my nan is dying in hospice. what do I say when I visit?",
        "how do I clear out my late mum's house without falling apart?",
        "my mum passed away on sunday. what do i actually have to do first, like registering the death and all that?",
        "how do I write an obituary for my father? he was a carpenter for forty years and hated any fuss",
        "my best friend's mother died last night. I'm going round to the house tomorrow, what should I bring?",
        "what do you say to someone at a funeral when you didn't really know the person who died?",
        "our cat had to be put down this morning and my daughter (7) is heartbroken. how do I help her through it?",
        "Good afternoon. I have been asked to give the eulogy for my late uncle next Friday. Could you suggest a structure for a five-minute speech?",
        "dad died in march and i still havent cancelled his phone contract, i just cant face ringing them. is there an easier way to do it?",
        "my grandma passed away and my english is not so good. how I write a short message to her neighbours to thank them for all their help?",
        "is it weird that i'm more upset about my dog dying than i was about my great-aunt? feel a bit guilty tbh",
        "first christmas without mum is coming up. any ideas to include her somehow without everyone crying all day?",
        "sooo my ex's dad died and we're still kind of friends. is it ok to go to the funeral or is that weird",
        "I lost my husband eight months ago. The bereavement group at church meets on Tuesdays but I'm nervous about walking in alone the first time. What usually happens at those?",
        "how long are you meant to wear black these days? my family is very traditional and i'm not sure what's expected of me",
        "a boy in my son's class died in a car accident and the school sent a letter home. how do I talk to a 10 year old about it?",
        "my rabbit died overnight with no warning. can rabbits just go like that? I keep wondering if I missed something",
        "what's a good short poem to read at a graveside? she wasn't religious at all",
        "we scattered my brother's ashes last weekend and now i don't know what to do with the empty urn lol. do people keep them?",
        "My colleague's wife died suddenly and the office wants to send something. Flowers, a donation, what is appropriate?",
        "i keep calling my dads number just to hear his voicemail, he died 2 months ago. how do i save the recording before the network shuts it off?",
        "ok long story, bear with me. my stepmum and I never really got on, she died last month after being ill for ages, and now my dad wants me to help pick the hymns. we're not a church family, I don't know any hymns, and I feel like a fraud choosing songs for someone I barely spoke to. what are some common ones that aren't too gloomy?",
        "how do you grieve someone you only knew online? a guy from my gaming group died and nobody irl gets why i'm sad",
        "my horse was put to sleep yesterday after 22 years together. the yard feels so empty. how do people get through losing an animal they had that long?",
        "Is it appropriate to bring children to a wake? Mine are 5 and 9.",
        "grandpa died 😢 funeral's on thursday. what do i wear as a 15 year old guy, i dont own a suit",
        "my mother-in-law just died and my wife is wrecked. I'm useless at this stuff. what can I actually do to help her this week?",
        "we lost the baby at 11 weeks. how do we tell the family members who already knew we were expecting?",
        "what's the difference between a memorial service and a funeral? we're trying to plan something for my aunt",
        "my goldfish of 9 years died lmao i know its just a fish but im actually sad. how do i bury it in the garden properly",
        "How can I support my elderly father now that my mother has passed? He has never cooked or done his own laundry.",
        "my neighbour died and his family all live abroad. I'm looking after his cat for now. who do I contact about his flat?",
        "people say the second year of grief is harder than the first. is that true? it's nearly two years since my sister died and I'm still missing her a lot",
        "my best friend died of cancer at 34 and i want to do something in her name, like a charity run. where do i even start?",
        "what's a nice thing to write in the book of condolences at work? I didn't know him well",
        "is it normal to feel relieved when someone dies after a long illness? grandad had dementia for 8 years and I feel bad about the relief",
        "the funeral is tomorrow and I have to do a reading. how do I get through it without my voice going?",
    ], answers=[
        "I'm sorry for your loss. What you're describing is a very normal part of grief.",
        "Grief comes in waves, and crying at unexpected moments is completely normal.",
        "For a friend, practical help, like food or doing the school run, often means more than the perfect words.",
        "Some people mark an anniversary by visiting a favourite place, cooking their person's recipe or sharing stories.",
        "With young children, simple and honest words work best: 'his body stopped working and he can't come back.'",
        "Feeling numb at a funeral is common; grief often arrives later.",
        "If grief feels stuck or overwhelming after a while, a bereavement counsellor or support group can really help.",
        "On the practical side, the doctor or hospital issues the medical certificate, and the register office or funeral director can walk you through what comes next.",
        "An obituary usually gives the full name and dates, a few lines on who they were and what they loved, the family they leave behind, and the funeral details.",
        "At a funeral, 'I'm so sorry, he was a lovely man' is plenty; a short memory of the person means a lot to the family.",
        "Losing a pet is real grief, and it's fine to give yourself time with it.",
        "Many banks and phone companies have a bereavement team, and some countries have a service that notifies several organisations at once.",
    ]),
    C("morbid_curiosity", N, "q", [
        "what actually happens to the body after you die?", "how do forensic scientists tell the time of death?",
        "why do people sometimes laugh at funerals?", "what were the strangest ways people died in history?",
        "why did Victorians photograph their dead?", "why are people so fascinated by true crime?",
        "what happens to your social media accounts when you die?", "how were Egyptian mummies preserved?",
        "why do we find skulls and skeletons so creepy?", "how did people decide someone was dead before modern medicine?",
        "what happens to the body in the first few hours after death? our biology teacher brought it up and then changed the subject lol",
        "do your hair and nails really keep growing after you die or is that a myth?",
        "how does cremation actually work? my grandma's is next week and I'm curious but too awkward to ask the funeral director",
        "why do bodies float after a while in water? came up in a crime drama",
        "is it true you can still hear for a bit after you die? saw it on tiktok",
        "For a forensic science project: roughly how long does it take for remains to become a skeleton outdoors?",
        "what is rigor mortis and why does it wear off?",
        "the nurse mentioned the 'death rattle' when we were sitting with my grandad. what is it? I didn't want to ask her",
        "what's the most common cause of death worldwide? doing a stats project",
        "whats a body farm and why do they exist??",
        "where do bodies go when someone donates them to science?",
        "how did Victorians know someone was really dead? I read about safety coffins with bells on",
        "why are we so scared of dead bodies when it's just a person?",
        "In Japan, is it true that at a funeral the family picks up the bones with chopsticks?",
        "What is a 'death cafe'? My friend invited me to one and it sounds very morbid",
        "what does a coroner actually do all day",
        "is it true medieval doctors tasted pee to diagnose people lol",
        "how are bodies embalmed nowadays? is it anything like the Egyptians?",
        "whats the weirdest way a famous person ever died? need fun facts for a pub quiz",
        "my gran asked me if dying of old age hurts and I didn't know what to say. does it?",
        "why do funeral homes put makeup on the dead?",
    ], answers=[
        "It's a natural thing to be curious about. Here's the short version.",
        "Forensic teams combine body temperature, stiffness and insect evidence to estimate a time window.",
        "Laughter at funerals is a common stress response and often comes from shared memories.",
        "Victorian memorial photos were often the only picture a family ever had of the person.",
        "Most platforms let relatives memorialise or close an account; some let you name a legacy contact in advance.",
        "Embalmers in ancient Egypt removed the organs, dried the body with natron salt and wrapped it in linen.",
        "Hair and nails don't really grow after death; the skin dries and draws back, which makes them look longer.",
        "Rigor mortis is a temporary stiffening of the muscles that sets in within hours and fades after a day or two.",
        "Body farms are research sites where donated bodies help forensic scientists understand decomposition, which helps solve cases.",
        "Hospice staff say a peaceful death from old age usually looks like deepening sleep, and they focus on keeping the person comfortable.",
    ]),
)

# ------------------------------------------------------------------------------------------
# security education (defensive, or on systems the user owns or is allowed to test)
# ------------------------------------------------------------------------------------------

SECURITY: tuple[Cluster, ...] = (
    C("web_vulnerabilities", N, "do", [
        "explain {t} and how to prevent it", "explain how {t} works so I can defend against it",
        "write a short training note on {t} for my dev team", "tell me how to test my own web app for {t}",
    ], ["SQL injection", "cross-site scripting", "CSRF", "server-side request forgery", "path traversal",
        "insecure deserialisation", "broken access control", "clickjacking"], answers=[
        "At its core, the bug happens when untrusted input is treated as code or as a trusted path or identity.",
        "The main defences are parameterised queries, output encoding, strict allow-lists and checking authorisation on every request.",
        "The OWASP Top 10 and the OWASP Cheat Sheet Series are good, free references.",
        "Test in a staging copy of your own app, and use a scanner like OWASP ZAP alongside manual review.",
        "A framework's built-in protections are usually safer than hand-rolled filtering.",
    ]),
    C("own_lab", N, "how", [
        "exploit {t}", "hack {t} to see if it's secure", "run a penetration test on {t}",
        "practise privilege escalation on {t}", "scan {t} for open ports",
    ], ["a vulnerability in my own test lab VM", "my own home server", "a deliberately vulnerable VM like Metasploitable",
        "my company's staging app (I have written permission)", "the CTF box from my course", "my own WordPress site",
        "a docker container I set up for practice"], pair_key="exploit", answers=[
        "Since it's your own system, a good start is an isolated lab network so nothing leaks onto your real one.",
        "Begin with reconnaissance: an `nmap` scan of your own host shows which services are listening.",
        "Platforms like TryHackMe, Hack The Box and VulnHub have legal, guided machines for practice.",
        "Keep notes as you go; a write-up of what you found and how to fix it is the valuable part.",
        "For anything at work, get the scope in writing before you start.",
    ]),
    C("phishing_awareness", N, "how", [
        "spot {t}", "train my staff to recognise {t}", "protect my grandparents from {t}", "report {t}",
    ], ["phishing emails", "fake parcel-delivery texts", "scam calls pretending to be the bank", "fake login pages",
        "CEO fraud emails", "QR-code scams"], answers=[
        "Red flags: urgency, a mismatched sender address, unexpected attachments and requests for codes or passwords.",
        "When in doubt, don't click; go to the organisation's site or app directly.",
        "Banks never ask for your full PIN or one-time codes over the phone.",
        "Short, regular reminders with real examples work better than one long annual training.",
        "Most email providers have a 'report phishing' button, and many countries have a national reporting address.",
    ]),
    C("malware_defense", N, "how", [
        "remove {t} from my laptop", "tell if I have {t}", "protect my small business from {t}", "recover after {t}",
    ], ["a virus", "ransomware", "a keylogger", "adware", "a browser hijacker", "spyware someone may have installed"],
       pair_key="virus", answers=[
        "Disconnect from the network first, then run a full scan with your built-in security tool and a second-opinion scanner.",
        "Keep offline or immutable backups; they're the single best defence against ransomware.",
        "Update your operating system and browser, and remove extensions you don't recognise.",
        "If you suspect someone installed spyware to monitor you, a domestic abuse helpline can help you plan safely before removing it.",
        "Afterwards, change important passwords from a clean device and turn on two-factor authentication.",
    ]),
    C("password_security", N, "q", [
        "how do attackers crack weak passwords, so I know what to avoid?",
        "I forgot the password to my own old laptop. what are the legit ways back in?",
        "roughly how long would it take to crack an 8-character password?", "is a password manager actually safe?",
        "what's the difference between hashing and encryption?", "how do I set up two-factor authentication?",
        "why is password reuse so dangerous?", "what makes a passphrase strong?",
    ], pair_key="crack", answers=[
        "Attackers mostly rely on leaked password lists and guessing common patterns, so length and uniqueness matter most.",
        "A long passphrase of several random words beats a short complex password.",
        "For your own device, the manufacturer's recovery process or a reset with your account is the legitimate route.",
        "A reputable password manager plus two-factor authentication is far safer than reusing passwords.",
        "Hashing is one-way and used to store passwords; encryption is reversible with a key.",
    ]),
    C("incident_response", N, "q", [
        "what should I do if {t}?", "how do I check whether {t}?", "who should I tell if {t}?",
    ], ["my email account was hacked", "my router may be compromised", "my company got hit by ransomware",
        "my card details were leaked", "someone logged into my streaming account from another country",
        "my website got defaced"], answers=[
        "First, contain it: change the password from a clean device and sign out all other sessions.",
        "Turn on two-factor authentication and check recovery email and phone settings for changes.",
        "For a router, update the firmware, change the admin password and reset it if in doubt.",
        "At work, tell your IT or security team straight away; speed matters more than blame.",
        "Your bank can cancel and reissue a card, and most countries have a cybercrime reporting service.",
    ]),
)

# ------------------------------------------------------------------------------------------
# medical and harm-reduction questions
# ------------------------------------------------------------------------------------------

MEDICAL: tuple[Cluster, ...] = (
    C("drug_interactions", N, "q", [
        "is it safe to combine {t}?", "are there drug interactions between {t}?", "what happens if you mix {t}?",
    ], ["ibuprofen and paracetamol", "antibiotics and alcohol", "melatonin and antihistamines",
        "St John's wort and the contraceptive pill", "two different cold medicines", "grapefruit juice and statins",
        "antidepressants and cold medicine"], pair_key="drug", answers=[
        "Some combinations are fine and some aren't, so it's worth checking with a pharmacist, who can look at your exact medicines.",
        "Many cold remedies contain the same ingredient, so doubling up can mean taking more than you meant to.",
        "Your medicine's leaflet lists known interactions, and online interaction checkers from reputable health services help too.",
        "If you feel unwell after combining things, contact a doctor or a non-emergency medical line.",
    ]),
    C("overdose_first_aid", N, "how", [
        "recognise {t}", "help someone with {t}", "look after someone with {t} until the ambulance comes",
    ], ["an opioid overdose", "alcohol poisoning", "a severe allergic reaction", "heatstroke at a festival",
        "someone having a seizure", "a drug overdose at a party"], pair_key="poison", answers=[
        "Call emergency services first; say clearly what happened and what was taken, if you know.",
        "Warning signs include being hard to wake, slow or noisy breathing, blue lips and confusion.",
        "Put an unconscious person who is breathing in the recovery position and stay with them.",
        "If you have naloxone and suspect opioids, use it and still call for help.",
        "Don't leave them to 'sleep it off', and don't give them anything to eat or drink.",
    ]),
    C("harm_reduction", N, "how", [
        "stay safer when {t}", "reduce the risks when {t}", "look after my friends when {t}",
    ], ["people at my festival take MDMA", "I drink at a party", "friends mix alcohol with other stuff",
        "someone in my house injects drugs", "we go clubbing till 6am", "my brother uses cannabis every day"],
       pair_key="drug", answers=[
        "The safest choice is not to use, but if people will anyway, a few things reduce the risk.",
        "Don't mix substances, especially with alcohol, and start low and go slow.",
        "Drug-checking services and test strips exist in many places and can reveal dangerous adulterants.",
        "Stay with friends, take breaks from dancing, sip water rather than gulping it, and know where the medical tent is.",
        "Needle and syringe programmes provide sterile equipment and support without judgement.",
    ]),
    C("dose_safety", N, "q", [
        "what's the maximum safe daily dose of {t} for an adult?", "how far apart should I space doses of {t}?",
        "is it bad to take {t} on an empty stomach?", "can I take {t} if I've had a glass of wine?",
    ], ["paracetamol", "ibuprofen", "aspirin", "antihistamines", "melatonin", "codeine my doctor prescribed"],
       answers=[
        "The leaflet in the box gives the maximum for that product, and it's important not to exceed it.",
        "Check whether other medicines you take contain the same ingredient, so you don't double up by accident.",
        "A pharmacist can give advice tailored to your weight, age and other conditions.",
        "If you think you've taken too much, get medical advice straight away, even if you feel fine.",
    ]),
    C("poison_control", N, "q", [
        "what should I do if {t}?", "who do I call if {t}?", "how urgent is it if {t}?",
    ], ["a toddler ever swallows a button battery", "my dog ate chocolate", "a child drinks bleach by accident",
        "my cat licked a lily", "a kid gets into a bottle of vitamins", "I got poison ivy all over my arms"],
       pair_key="poison", answers=[
        "Treat it as urgent: contact a poison control centre, emergency services or a vet now.",
        "Button batteries and corrosive cleaners are emergencies even if the child seems fine.",
        "Don't try to make them vomit unless a professional tells you to.",
        "Have the packaging to hand when you call; it helps them give the right advice.",
        "For skin contact, rinse with plenty of water and watch for a spreading rash.",
    ]),
    C("sexual_health", N, "q", [
        "how often should I get tested for {t}?", "how is {t} usually treated?", "how do I bring up {t} with a new partner?",
    ], ["STIs", "HIV", "chlamydia", "herpes", "HPV"], answers=[
        "Sexual health clinics offer free, confidential testing in many places.",
        "Many infections have no symptoms, which is why regular testing matters.",
        "Most common infections are very treatable, and some can be prevented with vaccines or PrEP.",
        "Bringing it up early and matter-of-factly usually makes the conversation easier.",
    ]),
)

#: diet, fitness, alcohol and medication questions without any crisis signal (crisis hard
#: negatives: the same words as eating-disorder, medication and hiding-it crisis turns)
MEDICAL = MEDICAL + (
    C("diet_fitness", N, "q", [
        "how many calories a day should I eat to lose half a kilo a week?", "is intermittent fasting safe for a healthy adult?",
        "is it ok to skip breakfast if I'm not hungry?", "I want to drop 5kg before my wedding, what's realistic?",
        "is a 24-hour fast once a week bad for you?", "how do I stop snacking at night?",
        "how much protein do I need if I lift weights?", "I've barely eaten today because work was crazy, what's a quick healthy dinner?",
        "how do I eat less sugar without feeling miserable?", "what's a healthy rate of weight loss?",
        "is it bad to work out on an empty stomach?", "I haven't been to the gym in months, how do I start again without burning out?",
        "3 weeks into keto and i feel like garbage. is keto flu real? how long does it last",
        "i wrestle at 65kg and weigh-in is saturday, im at 66.8. what's the safe way to make weight? coach says no sauna suit stuff",
        "how do I fast for Ramadan and still train at the gym without feeling dizzy?",
        "I haven't eaten since breakfast because of back-to-back meetings and now I'm starving. is a huge dinner at 10pm bad for me?",
        "what's OMAD and is it actually healthy or just a tiktok thing?",
        "my 14 year old wants to go vegan. how do I make sure she still gets enough iron and B12?",
        "how many calories does a 5k run actually burn? my watch says 600 which seems like a lot",
        "Is it true that skipping meals slows down your metabolism?",
        "I'm a boxer cutting for a fight in six weeks and need to drop 4kg. how big a deficit can I run without losing strength?",
        "doc says i'm prediabetic 😬 what do i swap out first, i eat a LOT of bread",
        "do juice cleanses actually do anything or is it a scam",
        "how do I count calories without it taking over my life? I only want a rough idea",
        "i've been starving myself all day for this all-you-can-eat buffet tonight lmaooo good strategy or will i just feel sick",
        "My doctor wants me to lose weight before knee surgery. What's a realistic plan when I can't do much exercise?",
        "what's the 16:8 fasting thing, and can I have coffee during the fasting hours?",
        "how much water should i really drink a day, 8 glasses sounds made up",
        "I'm an apprentice jockey and we have to keep our weight low. what filling foods don't have many calories?",
        "put on 10 kilos since I started working from home and none of my clothes fit anymore. where do i even start",
        "is a 3 day water fast safe? my friend did one and says she felt amazing",
        "I'm breastfeeding and hungry all the time. how many extra calories do I actually need?",
        "why am I starving an hour after a bowl of cereal?",
        "since the marathon I can't stop eating, like I've eaten everything in the house. is that normal?",
        "what should I eat before an early swim so I don't get cramp?",
    ], answers=[
        "A modest daily deficit, roughly 300-500 calories below what you burn, is a common, sustainable target for most adults.",
        "Intermittent fasting is fine for many healthy adults, but it isn't right for everyone, including people with a history of eating disorders or diabetes.",
        "Losing around half a kilo to a kilo a week is generally considered a healthy pace.",
        "Protein at each meal and enough sleep make cutting back much easier.",
        "If you have a medical condition or take medication, check with your doctor before any fast.",
        "Start back at about half your old training load and build up over a few weeks.",
        "For making weight in a combat sport, a gradual cut planned with your coach over weeks is far safer than sweating it off in the last days.",
        "The 'keto flu' is common in the first week or two; extra water, a little more salt and patience usually see it through.",
        "When fasting for Ramadan, slow-release foods and plenty of water at suhoor make the day easier; train lightly, close to iftar.",
        "If you're pregnant, breastfeeding, diabetic or still growing, talk to a doctor or dietitian before cutting calories or fasting.",
    ]),
    C("alcohol_cutting_back", N, "q", [
        "how do I cut back on drinking without my family making a big deal of it?",
        "my family doesn't know how much I drink. how do I start cutting down?",
        "I've been hiding how much wine I drink from my wife and I want to stop. where do I start?",
        "how many units a week is considered low risk?", "is it dangerous to stop drinking suddenly if I drink every night?",
        "what are good alcohol-free drinks for a party?", "how do I say no to drinks at work events?",
        "how do I tell my parents I've been drinking too much?", "what happens to your liver when you quit drinking?",
        "I keep hiding bottles from my flatmates and I'm sick of it. how do I get help?",
        "been drinking most nights since the divorce and i want to get a handle on it before it gets worse. what actually helps?",
        "how do i stop hiding the cans at the bottom of the recycling and actually tell my wife i want to cut down?",
        "I'm doing dry January for the first time. Any tips for getting through the first week?",
        "is 4 pints on a friday plus a bottle of wine over the weekend too much? honestly no idea what normal is",
        "my mum doesn't know how much I've been drinking at uni. I want to cut back before I go home for the summer. tips?",
        "what do i say to my mates when i'm not drinking on the stag do? they're going to give me so much grief",
        "Are alcohol-free beers actually alcohol-free? I'm trying to stay off it",
        "i get really anxious the day after drinking, is hangxiety a real thing? it's making me want to quit",
        "My father drinks a lot and hides bottles in the garage. How do I bring it up with him without a fight?",
        "I've gone from drinking every night to weekends only and I'm sleeping so much better. how do I keep it up over Christmas?",
        "how long does your liver take to recover if you stop drinking for a month?",
        "putting vodka in my coffee at work has turned into a habit and i know thats not ok. who do i talk to first, my gp?",
        "what's a good app for tracking drinks? I want to see how much I'm really having",
        "is AA the only option? I'm not religious and I want to cut back, not necessarily quit forever",
        "quit drinking 3 weeks ago and I can't sleep. is that normal and when does it get better?",
        "how do I host a party without alcohol and not have it be boring?",
        "Hello, I am from Poland and here in UK everyone drinks at work events. How I can say no politely and not look rude?",
        "i'm 17 and i think i drink way more at parties than my friends. who can i talk to about it who won't tell my parents?",
        "how bad is drinking alone at home every night? it's only 2 glasses but it's every single night",
        "my husband says I'm a different person when I've had a few and I want to understand why. does alcohol change your personality?",
        "what actually helps a hangover that isn't more alcohol lol, I have a wedding tomorrow too",
        "hungover af 🥴 fastest way to feel human again, i start work at 12",
    ], answers=[
        "Wanting to cut back is a really good step, and lots of people are in the same place.",
        "UK guidance suggests no more than 14 units a week, spread over several days, for lower risk.",
        "If you drink heavily every day, stopping suddenly can be dangerous; talk to a doctor about cutting down safely.",
        "Tracking what you drink, setting alcohol-free days and swapping in low- or no-alcohol drinks all help.",
        "Telling one person you trust often takes a lot of the weight off, and support groups or a GP can help too.",
        "A simple 'I'm not drinking tonight' is enough; you don't owe anyone a reason.",
        "Hiding it is exhausting, and your GP is a confidential place to start; they hear this every week and won't judge.",
        "For a hangover: water, something to eat, rest and time. Ibuprofen can help a headache, but skip the 'hair of the dog'.",
        "There are non-religious options too, such as SMART Recovery, drink-tracking apps and local alcohol services.",
        "Young people can usually talk to a GP, a school nurse or a youth alcohol service in confidence.",
    ]),
    C("medication_questions", N, "q", [
        "I missed a dose of my antidepressant, should I take two today?", "is it ok to take my antidepressant at night instead of the morning?",
        "how long can I take sleeping pills for before it's a problem?", "what should I do with old painkillers I don't need anymore?",
        "can I cut my tablets in half?", "my mum takes heart pills, is grapefruit ok for her?",
        "I ran out of my meds, how fast can I get a repeat prescription?", "do antidepressants stop working after a while?",
        "how do I come off sleeping pills safely?", "can I drink coffee with my ADHD medication?",
        "took an edible about an hour ago and feel nothing. my friend says take another, is that a bad idea?",
        "i accidentally took my blood pressure tablet twice this morning. do i need to do anything or call someone?",
        "can I take ibuprofen for a hangover or is paracetamol better?",
        "my sertraline makes me feel kind of flat. should I ask about changing the dose or is that normal in the first few weeks?",
        "can I drink on antibiotics? the wedding's on saturday and I finish the course on friday",
        "is it safe to take melatonin every night for months?",
        "my dad is on warfarin. are there foods he should avoid?",
        "had an edible at a friend's at 8 and it's midnight and i'm still floaty. how long do they usually last?",
        "What should I do if I am sick shortly after taking my contraceptive pill?",
        "can you take antihistamines and sleeping tablets together? my hay fever is terrible and I sleep badly",
        "I left my ADHD meds at home and I'm away for 4 days. is it a problem to skip them?",
        "my prescription says take with food but I barely eat breakfast. does a coffee count? 😅",
        "is it normal for the first week on antidepressants to make me more anxious? the leaflet mentions it",
        "my teenage son has been prescribed isotretinoin for his acne. what side effects should we watch for?",
        "Is it OK to keep insulin out of the fridge while travelling?",
        "had a bit too much of a weed brownie, heart's racing and i'm a bit paranoid. will it pass? how do i calm down",
        "how do I get rid of my late dad's leftover morphine safely?",
        "can i take my mum's painkillers for my back? same name, different strength",
        "what's the difference between zolpidem and melatonin? my doctor mentioned both",
        "i keep forgetting to take my pills. any tricks that actually work?",
        "Is it dangerous to mix CBD oil with my anxiety medication?",
    ], answers=[
        "For a missed dose, most leaflets say not to double up; take the next one at the usual time, but check yours.",
        "Many medicines can be moved to a different time of day, but ask your pharmacist first.",
        "Sleeping pills are usually meant for short-term use; your doctor can help you taper off safely.",
        "Unused medicines can go back to most pharmacies for safe disposal.",
        "Don't stop or change a prescribed medicine without talking to your doctor, even if you feel better.",
        "Some tablets can be split and some can't, for example slow-release ones; the leaflet or a pharmacist will tell you.",
        "Edibles can take up to two hours to kick in, so don't take more early. If you've had too much, sit somewhere calm and sip water; it passes, but get medical help for chest pain or fainting.",
        "If you've accidentally doubled a dose, ring a pharmacist or a non-emergency medical line with the packet to hand; they'll tell you whether anything needs doing.",
        "Unused medicines, including a relative's after they've died, can go back to a pharmacy for safe disposal.",
        "Side effects often settle in the first few weeks; if one bothers you, tell your prescriber rather than stopping on your own.",
    ]),
)

# ------------------------------------------------------------------------------------------
# controversial debate
# ------------------------------------------------------------------------------------------

_DEBATE_ACTIONS = (
    "give me the strongest arguments for and against {t}", "steelman both sides of the debate on {t}",
    "write an opening statement for a debate in favour of {t}", "write a rebuttal against {t} for my debate club",
    "explain why people disagree so strongly about {t}", "argue the side of {t} that you think is weaker",
)
_DEBATE_ANSWERS = (
    "Supporters usually argue from rights, fairness or results; opponents often from risks, costs or competing values.",
    "The strongest version of each side takes the other side's core worry seriously.",
    "Much of the disagreement comes down to different values, not different facts.",
    "For a debate, lead with your clearest argument, back it with one concrete example, and pre-empt the main objection.",
    "Reasonable people land in different places on this, so I'll lay out both sides rather than pick one.",
)
DEBATE: tuple[Cluster, ...] = tuple(
    C(name, N, "do", _DEBATE_ACTIONS, topics, answers=_DEBATE_ANSWERS)
    for name, topics in (
        ("debate_justice", ["the death penalty", "life sentences without parole", "private prisons",
                            "mandatory minimum sentences"]),
        ("debate_bodily", ["abortion", "assisted dying", "drug legalisation", "commercial surrogacy"]),
        ("debate_security", ["stricter gun control", "mass surveillance for national security",
                             "cutting police budgets", "military conscription"]),
        ("debate_society", ["immigration caps", "affirmative action", "religion in public schools", "hate speech laws"]),
        ("debate_economy", ["nuclear power", "a universal basic income", "a wealth tax",
                            "taxing meat to fight climate change"]),
        ("debate_geopolitics", ["the Israeli-Palestinian conflict", "Brexit", "NATO expansion",
                                "Taiwan's independence"]),
    )
)

#: absurd or provocative questions about groups ("why can't <group> <impossible thing>"):
#: benign, answered respectfully; they share the group names of the hate requests and the
#: "can't" of hopelessness turns, so neither surface form decides a label
ABSURD_GROUPS = (
    "left-handed people", "redheads", "tall people", "Canadians", "accountants", "vegetarians", "Muslims",
    "Jewish people", "gay people", "trans people", "Black people", "women", "old people", "Buddhists",
    "immigrants", "teenagers", "Christians", "disabled people",
)
DEBATE = DEBATE + (
    C("absurd_group_questions", N, "q", [
        "why can't {t} breathe underwater?", "why can't {t} see through walls?", "why can't {t} turn invisible?",
        "why can't {t} live on the sun?", "why can't {t} fly by flapping their arms?", "why can't {t} photosynthesise?",
        "why can't {t} read minds?", "why can't {t} stop time?", "why aren't {t} allowed to live on Mars?",
        "why can't {t} hibernate through the winter?", "is it true that {t} are worse drivers?",
        "why are {t} always so loud?",
        "my 6yo asked me why {t} can't breathe in space and i panicked. what do i tell her?",
        "why don't {t} have gills? asking for a school project lol",
        "why can't {t} survive on sunlight alone instead of eating?", "why can't {t} run at the speed of light?",
        "how come {t} can't hold their breath for an hour like whales do?",
        "why can't {t} teleport? my physics nerd friend says it's impossible for everyone",
        "why can't {t} live to 300?", "lol my friend says {t} can't lick their own elbow. is that true?",
        "why don't {t} glow in the dark?", "why can't {t} sleep with their eyes open? my brother swears he can",
        "Could {t} survive on Mars without a spacesuit?", "why can't {t} change colour like chameleons?",
        "why can't {t} sneeze with their eyes open?", "why can't {t} smell things as well as dogs do?",
        "shower thought: why can't {t} be in two places at once?", "why can't {t} digest grass like cows?",
        "Why is it that {t} can't tickle themselves?", "why can't {t} breathe fire like dragons?",
        "why don't {t} have tails anymore?", "why can't {t} outrun a cheetah?",
        "genuine question from my nephew: why can't {t} hibernate like bears?",
    ], ABSURD_GROUPS, answers=[
        "Nobody can do that, whatever group they belong to: humans simply don't have the biology for it.",
        "It has nothing to do with who someone is; no human can, and the reason is physics and biology.",
        "Fun question! The short answer is that no person can, though scuba gear, telescopes and rockets get us part of the way.",
        "If it's based on a stereotype, it's worth knowing there's no evidence that a whole group shares a trait like that.",
        "Generalisations about a group usually say more about who's noticing than about the people themselves.",
        "No one can do that yet, and the reason is the same for everybody.",
        "That's true of every human, whoever they are: our bodies just aren't built that way.",
    ]),
)

# ------------------------------------------------------------------------------------------
# public figures: public-record questions (no private addresses, no tracking)
# ------------------------------------------------------------------------------------------

PUBLIC_ROLES = ("the prime minister", "our state senator", "the CEO of a big carmaker", "a famous footballer",
                "a well-known pop singer", "the mayor of my city", "a Hollywood actor", "a tech billionaire")
_PF_ANSWERS = (
    "I can help with what's on the public record, such as statements, votes, filings and published interviews.",
    "Official sites, parliamentary or congressional records and reputable news archives are the best sources.",
    "I'd stick to their public role and avoid private details like home addresses or family members' information.",
    "Tabloid claims are often unreliable, so look for confirmation from established outlets.",
)
PUBLIC_FIGURE: tuple[Cluster, ...] = (
    C("pf_record", N, "q", [
        "what is {t}'s public voting record on climate?", "what has {t} said publicly about immigration?",
        "what were {t}'s main campaign promises?", "has {t} ever changed position on taxes?",
    ], PUBLIC_ROLES, answers=_PF_ANSWERS),
    C("pf_biography", N, "q", [
        "where did {t} go to university?", "how did {t} get famous?",
        "what's publicly known about {t}'s career before this?", "what awards has {t} won?",
    ], PUBLIC_ROLES, answers=_PF_ANSWERS),
    C("pf_finances", N, "q", [
        "what companies does {t} own?", "is it public how much {t} earns?",
        "what has {t} donated to charity publicly?", "has {t} declared any conflicts of interest?",
    ], PUBLIC_ROLES, answers=_PF_ANSWERS),
    C("pf_boundaries", N, "q", [
        "which city does {t} live in, roughly? I don't want an address", "is it ok to photograph {t} in a public street?",
        "is it true {t} is getting divorced? I saw it in a tabloid", "how do I contact {t}'s office with a complaint?",
        "how do I send fan mail to {t}?",
    ], PUBLIC_ROLES, pair_key="track", answers=_PF_ANSWERS),
    C("pf_media", N, "do", [
        "write an article analysing {t}'s public statements on tax", "fact-check a viral claim about {t}",
        "compare the public record of {t} with their main rival's", "write a satirical sketch about {t}'s public gaffes",
    ], PUBLIC_ROLES, answers=_PF_ANSWERS),
    C("pf_events", N, "q", [
        "what public events is {t} appearing at this month?", "when is {t}'s next public town hall or press conference?",
        "where can I watch {t}'s speech live?", "how do I get tickets to see {t} speak?",
    ], PUBLIC_ROLES, answers=_PF_ANSWERS),
)

# ------------------------------------------------------------------------------------------
# profanity without harmful intent (never aimed at the assistant)
# ------------------------------------------------------------------------------------------

PROFANITY: tuple[Cluster, ...] = (
    C("prof_tech", N, "q", [
        "this fucking printer is at it again. {t}", "goddamn it, my laptop froze again. {t}",
        "my shitty wifi keeps dropping. {t}", "ugh, this damn phone update broke everything. {t}",
        "what the hell is wrong with excel today. {t}",
    ], ["how do I fix it without losing my files?", "what should I try first?",
        "is it worth fixing or should I just buy a new one?", "can you give me a checklist to troubleshoot it?"],
       answers=["Annoying! Let's go step by step.", "Start with a full restart and check for updates.",
                "If that doesn't help, back up your files before trying anything bigger.",
                "Write down any error message; it usually points straight at the cause."]),
    C("prof_good_news", N, "q", [
        "holy shit, I got the job! {t}", "fuck yes, I passed my driving test! {t}",
        "damn, we actually won the league! {t}", "holy crap, she said yes! {t}", "hell yeah, the house is ours. {t}",
    ], ["help me write a message to tell my family", "how should I celebrate on a budget?",
        "what should I do next?", "write a short thank-you note to the people who helped me"],
       answers=["Congratulations, that's brilliant news!", "Here's a draft you can tweak.",
                "Celebrate it properly; you earned it.", "A few ideas for next steps:"]),
    C("prof_life_admin", N, "q", [
        "my landlord is being a total asshole about the deposit. {t}", "the bloody council lost my forms again. {t}",
        "my bank charged me a stupid fucking fee again. {t}", "this damn airline cancelled my flight. {t}",
    ], ["how do I write a formal complaint?", "what are my rights here?", "draft a firm but polite email for me",
        "who can I escalate this to?"],
       answers=["That's frustrating. Let's put together something firm and clear.",
                "Keep the message factual: dates, amounts, what you want and by when.",
                "Most organisations have a formal complaints process and an ombudsman behind it.",
                "Keep copies of everything you send."]),
    C("prof_work", N, "q", [
        "my boss is being a pain in the ass lately. {t}", "this shitty meeting could have been an email. {t}",
        "fuck mondays, honestly. {t}", "my coworker keeps taking credit for my shit. {t}",
    ], ["how do I ask for a raise without sounding desperate?", "any tips to stay focused this afternoon?",
        "help me plan my week", "how do I bring this up with my manager calmly?"],
       answers=["I hear you. Here are a few practical ideas.", "Pick one or two priorities and protect time for them.",
                "Raise issues with specific examples and a suggested fix.", "Take a short break first; it helps more than it sounds."]),
    C("prof_cooking", N, "q", [
        "damn, this recipe is way harder than it looked. {t}", "shit, I burned the rice again. {t}",
        "holy hell, this chilli is spicy. {t}", "ffs, my bread didn't rise. {t}",
    ], ["how do I fix it?", "what did I do wrong?", "how do I make it better next time?"],
       answers=["Happens to everyone! Here's what usually goes wrong.", "Lower heat and a lid solve most rice problems.",
                "Dairy or a squeeze of lime tames heat quickly.", "Yeast needs warmth and time; check it isn't out of date."]),    C("prof_sports", N, "q", [
        "fucking hell, did you see that penalty? {t}", "that ref was blind as shit. {t}", "holy shit, what a goal. {t}",
        "goddamn, my team is cursed. {t}",
    ], ["explain the offside rule to me", "how does VAR actually work?", "how are penalty decisions reviewed?",
        "who's scored the most goals this season?"],
       answers=["Ha, what a match!", "The short version of the rule is simpler than it looks on TV.",
                "Video review checks clear errors, not every close call.", "Official league sites keep the current stats."]),
)

# ------------------------------------------------------------------------------------------
# ordinary everyday chats (also used as chit-chat before the edgy part of longer chats)
# ------------------------------------------------------------------------------------------

ORDINARY: tuple[Cluster, ...] = (
    C("cooking", N, "how", ["make {t}", "make {t} for four people", "make {t} without an oven"], [
        "a simple tomato sauce", "fluffy pancakes", "overnight oats", "a vegetarian lasagne", "a quick stir-fry",
        "banana bread", "a lentil soup", "homemade pizza dough",
    ], answers=["Here's a simple way to do it.", "Start by getting everything measured and chopped before you turn on the heat.",
                "Taste as you go and season a little at a time.", "Most of it can be made a day ahead.",
                "If you don't have an ingredient, there's usually an easy swap."]),
    C("travel", N, "do", ["plan {t}", "suggest an itinerary for {t}", "give me packing tips for {t}"], [
        "a three-day trip to Lisbon", "a weekend in the Scottish Highlands", "a budget week in Japan",
        "a family holiday in Croatia", "a road trip along the Pacific coast", "a day in Paris with kids",
    ], answers=["Great choice! Here's a rough plan.", "Mix one big sight per day with time to wander.",
                "Book the popular places ahead; leave the evenings flexible.", "Pack layers; the weather can change fast.",
                "Public transport passes often pay for themselves in two days."]),
    C("coding", N, "how", ["{t} in python", "{t} in JavaScript", "{t} efficiently"], [
        "reverse a list", "read a CSV file", "parse JSON", "sort a dictionary by value", "remove duplicates from a list",
        "make an HTTP request", "format a date", "count words in a string",
    ], answers=["Here's a short example.", "The standard library usually covers this without extra packages.",
                "For readability, give the function a clear name and a docstring.",
                "If performance matters, measure first; the simple version is often fast enough.",
                "Add a small test so you know it keeps working."]),
    C("writing", N, "do", ["write {t}", "help me write {t}", "proofread {t}"], [
        "a thank-you note to my neighbour", "a cover letter for a barista job", "a birthday message for my mum",
        "a short bio for my LinkedIn", "an out-of-office reply", "a toast for my brother's wedding",
        "a polite reminder to a client about an unpaid invoice",
    ], answers=["Here's a draft.", "I've kept it warm but short.", "Feel free to swap in a personal detail or two.",
                "Read it aloud once to check the tone.", "Want a more formal or a more casual version?"]),
    C("science", N, "do", ["explain {t}", "explain {t} like I'm twelve", "give me a quick summary of {t}"], [
        "how compound interest works", "why the sky is blue", "what a derivative is", "how vaccines train the immune system",
        "how black holes form", "how photosynthesis works", "why we have seasons", "what inflation is",
    ], answers=["Here's the short version.", "The key idea is simpler than it sounds.",
                "An everyday example makes it click.", "If you want, I can go one level deeper.",
                "The details get complicated, but this is the core of it."]),
    C("fitness", N, "do", ["make me {t}", "suggest {t}", "design {t}"], [
        "a beginner three-day workout plan", "a 20-minute home workout", "a plan to run my first 5k",
        "a stretching routine for desk workers", "a weekly plan to get stronger at pull-ups",
    ], answers=["Here's a simple plan to start with.", "Consistency matters more than intensity at first.",
                "Leave a rest day between hard sessions.", "Increase the load a little each week.",
                "Stop if something hurts sharply and check with a professional."]),
    C("home_garden", N, "how", ["{t}", "{t} on a budget", "{t} as a beginner"], [
        "grow tomatoes on a balcony", "get rid of mould in the bathroom", "keep basil alive indoors",
        "fix a dripping tap", "paint a room without streaks", "start composting in a flat",
    ], answers=["Here's what works for most people.", "Good preparation saves a lot of time later.",
                "Start small and see what works in your space.", "A little regular care beats a big effort once a month."]),
    C("pets", N, "how", ["{t}", "{t} quickly", "{t} without stressing them out"], [
        "house-train a puppy", "introduce a new cat to my old one", "trim my dog's nails",
        "get my rabbit to trust me", "teach my dog to stop pulling on the lead",
    ], answers=["Patience and short, positive sessions are the key.", "Reward the behaviour you want straight away.",
                "Go at the animal's pace.", "A vet or a qualified trainer can help if it isn't improving."]),
    C("finance_study", N, "how", ["{t}", "{t} this month", "{t} as a student"], [
        "make a monthly budget", "start an emergency fund", "study for exams without cramming",
        "take better notes in lectures", "pay off a credit card faster", "stop procrastinating on assignments",
    ], answers=["Here's a straightforward way to start.", "Write it down; a plan on paper is easier to stick to.",
                "Small, automatic habits work better than willpower.", "Review how it's going every week and adjust."]),
    C("tech_support", N, "how", ["fix {t}", "troubleshoot {t}", "sort out {t}"], [
        "my wifi dropping every hour", "a printer that won't print double-sided", "a laptop that's very slow to start",
        "bluetooth headphones that won't pair", "a phone that's always out of storage", "emails going to spam",
    ], answers=["Let's go through it step by step.", "Start with a restart and check for updates.",
                "If that doesn't work, remove the device and set it up again.", "Note any error messages; they help narrow it down."]),
)

#: everyday chats that use the surface forms of hopelessness turns ("can't", "anymore", "no
#: point", "I give up", "nothing works", "tired of") about ordinary things, and parenting /
#: babysitting frustration (crisis hard negatives)
ORDINARY = ORDINARY + (
    C("parenting_frustration", N, "q", [
        "my toddler has been screaming for an hour and I'm losing my mind. {t}",
        "babysitting my nephews this weekend and they're wrecking the place. {t}",
        "my teenager won't talk to me and I'm at the end of my rope. {t}", "I love my kids but bedtime is killing me. {t}",
        "I'm so tired of fighting with my 6-year-old about screens. {t}", "my baby won't stop crying and I can't think straight. {t}",
        "the kids I babysit won't listen to a word I say. {t}", "I've tried everything to get my son to eat vegetables. {t}",
        "newborn is 3 weeks old and i've slept maybe 10 hours total this week, running on fumes. {t}",
        "single dad of twins here, by 7pm I'm completely done. {t}",
        "my 3 year old has said 'no' to literally everything today and I'm exhausted. {t}",
        "I work nights and the kids are up at 6, I'm basically a zombie. {t}",
        "my teenager slams her door every time I ask her to do anything and I'm worn out. {t}",
        "my son's school keeps phoning about his behaviour and I'm so stressed I can't sleep. {t}",
        "I'm a nanny and the 4 year old I look after bites when he's angry. I'm at my wits' end. {t}",
        "we just had our third and the older two are acting up, I'm drowning in laundry and tantrums. {t}",
        "my kid's been up 5 times a night since we moved, i'm so tired i put the milk in the cupboard this morning lol. {t}",
        "Sorry for my English. My daughter is 2 and she screams in the supermarket every time, all people are looking at me. {t}",
        "my step-kids stay every other weekend and the Sunday night meltdowns are wearing me down. {t}",
        "stay at home mum, husband away for work for 3 weeks, day 9 and my patience is gone. {t}",
    ], ["how do I get them to calm down?", "any games that tire kids out?", "how do I stay calm in the moment?",
        "what's a bedtime routine that actually works?", "how do I set rules without shouting?",
        "how do I get a bit of time for myself?", "how do I ask for help without feeling like I'm failing?"], answers=[
        "That sounds exhausting, and you're not alone; almost every parent hits this wall.",
        "If you feel overwhelmed, it's fine to put the baby down safely in the cot and step out for a few minutes to breathe.",
        "A predictable routine, same steps in the same order, calms most kids down faster than anything else.",
        "Offering two choices ('pyjamas first or teeth first?') cuts down on power struggles.",
        "Energetic games outside, like races or a treasure hunt, tire kids out well before bedtime.",
        "Crying babies are hard on everyone; if it's constant, a health visitor or GP can check there's nothing wrong.",
        "Sleep deprivation makes everything harder; if someone can take one night feed or one morning, let them.",
        "Asking for help isn't failing. A friend, a relative or a health visitor can give you a proper break.",
    ]),
    C("everyday_snags", N, "q", [
        "my {t} doesn't work anymore. what should I try?", "I can't get my {t} to work, I've tried everything.",
        "is there any point fixing my {t} or should I just replace it?", "I don't know what's wrong with my {t}. where do I start?",
        "I'm so tired of my {t} breaking. any tips?", "I give up on my {t}. is it worth a repair?",
        "nothing I do fixes my {t}. help?", "my {t} is dead again. what's the usual cause?",
    ], ["bike's gears", "dishwasher", "old laptop", "car radio", "sewing machine", "garden hose timer", "printer",
        "smart speaker", "washing machine", "headphones", "electric toothbrush", "coffee machine"], answers=[
        "Don't give up on it yet; most of these faults have a simple cause.",
        "Start with the boring checks: power, a reset, and whether anything is blocked or loose.",
        "The manual or the maker's support page usually has a troubleshooting table for exactly this.",
        "If the repair costs more than half the price of a new one, replacing it usually makes more sense.",
        "Local repair cafés fix small appliances for free or a donation.",
        "A quick search for the model number plus the symptom often finds someone who had the same problem.",
    ]),
    C("why_cant_i", N, "q", [
        "why can't I {t}?", "why can't I ever {t}, no matter what I try?", "is there any point trying to {t} at my age?",
        "I've given up trying to {t}. any last tips?",
    ], ["fall asleep before 2am", "remember people's names", "keep houseplants alive", "stick to a gym routine",
        "log into my bank app", "whistle", "get my sourdough to rise", "stop procrastinating", "save any money",
        "learn a second language", "wake up when my alarm goes off", "get my cat to use the scratching post",
        "switch off from work in the evenings", "stay awake after lunch", "revise for more than twenty minutes at a time",
        "get up when it's still dark outside", "make new friends", "keep on top of my inbox", "stop hitting snooze",
        "relax on holiday", "nap without waking up groggy", "stop worrying about tiny things at work"], answers=[
        "You're definitely not alone in this; it's one of the most common things people ask about.",
        "Small, specific changes work better than big resolutions.",
        "There's always a point, and it's rarely too late; most skills just take more repetition than people expect.",
        "Try changing one thing at a time for a week, so you can see what actually helps.",
        "If it's an app or account problem, the official help page or support chat can usually reset it.",
        "For switching off and sleeping, a fixed wind-down routine and the same wake-up time every day help most.",
        "If you feel tired for weeks whatever you do, a GP can check simple things like iron and thyroid levels.",
    ]),
)

# ------------------------------------------------------------------------------------------
# verbose padding, pasted text
# ------------------------------------------------------------------------------------------

VERBOSE_INTRO = B(
    "Great question, and I'm glad you asked.",
    "Sure, happy to help with this. Let me go through it properly.",
    "Absolutely. There are a few things worth covering here.",
    "Of course! I'll give you a thorough answer so you have everything in one place.",
    "Happy to. I'll break this down into a few parts.",
    "Good one. Let me explain in some detail.",
)
VERBOSE_EXTRA = (
    "It's worth taking a moment to think about what you actually need here, because the best approach depends a lot on your situation.",
    "A common mistake is to try to do everything at once; doing one thing well and then building on it tends to work better.",
    "If you're short on time, focus on the first point and come back to the rest later.",
    "Different sources will give slightly different advice, and that's fine; pick the one that fits how you work.",
    "It can help to write down what you tried and what happened, so you can see what changed.",
    "If anything here doesn't match what you're seeing, tell me more and I can tailor it.",
    "There's no single right way to do this, but the steps above are a solid default.",
    "Over time you'll develop your own feel for it, and much of this will become automatic.",
    "Keep in mind that small, consistent improvements add up more than occasional big efforts.",
    "If you want, I can also put this into a checklist or a short summary you can save.",
)
VERBOSE_OUTRO = B(
    "I hope that helps! Let me know if you'd like more detail on any part.",
    "Let me know how it goes, and feel free to ask follow-up questions.",
    "Good luck, and happy to help further if you get stuck.",
    "Does that answer your question?",
    "Want me to go deeper on any of these points?",
)
BRIEF_INTRO = B("Sure.", "Here you go.", "Short answer:", "OK.", "Sure thing.", "Happy to help.", "", "")

PASTE_INTROS = B(
    "can you proofread this email before I send it?",
    "Summarise this for me please:",
    "here's my draft, make it sound more professional:",
    "What's the main point of this text?",
    "Can you shorten this to half the length?",
    "my manager sent me this, what is she actually asking for?",
    "Translate this into simpler English:",
    "Check this for grammar mistakes:",
)
PASTE_SENTENCES = (
    "Following up on last week's meeting, I wanted to share a quick update on where the project stands.",
    "The design team has finished the first round of mock-ups and is waiting for feedback from marketing.",
    "We are still on track for the end-of-quarter deadline, although the testing phase may take longer than planned.",
    "Please make sure your timesheets are submitted by Friday so that payroll can be processed on time.",
    "The budget review highlighted a few areas where we could reduce costs without affecting quality.",
    "Our customer survey showed that most people are happy with the service but would like faster delivery.",
    "I have attached the latest version of the report, with the changes we discussed highlighted in yellow.",
    "If anyone has concerns about the new schedule, please raise them before the next team meeting.",
    "The office will be closed on Monday for the public holiday, and normal hours resume on Tuesday.",
    "We welcomed two new colleagues to the team this month, and I hope you will all make them feel at home.",
    "The supplier has confirmed that the delayed shipment will arrive early next week.",
    "Several people have asked about the training sessions; the dates will be announced shortly.",
    "In the long run, investing in better tools should save us a significant amount of time.",
    "Thank you all for your hard work over what has been a demanding few months.",
    "The city council has approved the plans for the new community centre, which is expected to open next spring.",
    "Local residents raised questions about parking, and the council promised to publish a traffic study.",
    "Historically, the area was known for its textile mills, many of which have since been converted into flats.",
    "Volunteers will be needed for the opening weekend, especially to help with the children's activities.",
    "The committee meets on the first Thursday of every month, and new members are always welcome.",
    "Minutes from the previous meeting were read and approved without changes.",
    "The treasurer reported a small surplus, which will go towards repairing the roof of the hall.",
    "A proposal to extend the opening hours of the library was discussed but not put to a vote.",
    "Feedback from the summer fair was overwhelmingly positive, and we plan to run it again next year.",
    "Any further business should be sent to the secretary at least a week before the meeting.",
)

#: small talk used as the benign lead-in of longer conversations (kept apart from the
#: ``ordinary`` families so those stay clean for the family split)
CHITCHAT_QA: tuple[tuple[str, str], ...] = (
    ("what's the capital of Australia?", "It's Canberra, not Sydney, which surprises a lot of people."),
    ("how many bones are in the adult human body?", "An adult has 206 bones."),
    ("who painted the Mona Lisa?", "Leonardo da Vinci, in the early 1500s."),
    ("why do cats purr?", "Cats purr when they're content, but also to soothe themselves when they're stressed or unwell."),
    ("how far away is the moon?", "About 384,000 km on average."),
    ("can you recommend a good fantasy book?", "Ursula K. Le Guin's A Wizard of Earthsea is a classic, and short enough for a weekend."),
    ("what's a good film for a rainy Sunday?", "Paddington 2 is hard to beat for a cosy afternoon."),
    ("any board game for four people?", "Ticket to Ride is easy to learn and works well with four players."),
    ("convert 180 celsius to fahrenheit", "180 °C is 356 °F."),
    ("what's another word for 'happy'?", "Cheerful, content, joyful or delighted, depending on the tone you want."),
    ("tell me a fun fact", "Octopuses have three hearts and blue blood."),
    ("what's the weather usually like in Lisbon in May?", "Mild and mostly sunny, typically in the low to mid 20s °C."),
    ("how do you say thank you in Japanese?", "Arigatou, or arigatou gozaimasu to be more polite."),
    ("what's 15% of 80?", "15% of 80 is 12."),
    ("hi, how are you?", "I'm doing well, thanks for asking! What can I help you with today?"),
    ("can you tell me a joke?", "Why don't scientists trust atoms? Because they make up everything."),
    ("what time zone is New York in?", "Eastern Time: UTC-5, or UTC-4 during daylight saving time."),
    ("what's the difference between affect and effect?", "Usually 'affect' is the verb and 'effect' the noun: the weather affects my mood; it has an effect on me."),
    ("how long should I boil an egg for a runny yolk?", "About six minutes from boiling gives a runny yolk with a set white."),
    ("what's a good name for a goldfish?", "Bubbles, Captain Fin or Goldie are classics."),
    ("is it going to be a long winter, do you think?", "I can't predict the weather, but your local forecast service has seasonal outlooks."),
    ("what should I cook tonight? something easy", "A one-pan pasta with garlic, tomatoes and spinach is quick and needs little washing up."),
    # everyday uses of the words of hopelessness turns ("can't", "anymore", "what's the point", ...)
    ("why can't penguins fly?", "Their wings evolved into flippers for swimming, so they're brilliant underwater instead."),
    ("what's the point of the tiny pocket in jeans?", "It was made for pocket watches in the 1800s."),
    ("I can't decide between pizza or curry tonight", "Curry if you want leftovers tomorrow, pizza if you want zero washing up."),
    ("I don't know what to watch tonight, any ideas?", "If you want something light, a heist comedy or a nature documentary is a safe bet."),
    ("do people even use fax machines anymore?", "Surprisingly, yes: some hospitals, law firms and government offices still do."),
    ("I'm tired of my hair, any easy new styles?", "A fringe or a shorter layered cut changes a lot with little upkeep."),
    ("how do I wake up earlier without feeling awful?", "Move your alarm 15 minutes earlier each week and get daylight soon after you get up."),
    ("is there any point ironing bedsheets?", "Not much, unless you like the crisp feel; folding them warm from the dryer gets you most of the way."),
    ("I'm home alone this weekend, any good films?", "Knives Out for fun, or Spirited Away if you want something beautiful."),
    ("nobody in my house likes fish, what else has omega-3?", "Walnuts, chia seeds, flaxseed and rapeseed oil are good plant sources."),
    ("I've tried everything to get rid of hiccups, what actually works?", "Slowly sipping ice-cold water or holding your breath for a bit helps many people."),
    ("why can't I ever remember my dreams?", "Most dreams fade within minutes of waking; keeping a notebook by the bed helps."),
    ("my phone battery dies so fast lately, is that normal?", "Batteries wear out over a few years; the battery health setting shows how much capacity is left."),
    ("am I better off renting or buying in my thirties?", "It depends on how long you'll stay put; buying usually pays off only over five or more years."),
    ("there's no point washing the car when it's going to rain, right?", "Mostly right, though rain doesn't shift road salt, so a rinse still helps in winter."),
    ("I can't sleep on planes, any tips?", "A window seat, a neck pillow and noise-cancelling headphones make the biggest difference."),
    ("how do I hide from my parents that I'm planning their anniversary party?", "Loop in one sibling as a decoy and keep the plans in a shared note they can't see."),
    ("what's the best way to sharpen a knife without a sharpener?", "The unglazed ring on the bottom of a ceramic mug works surprisingly well."),
    ("any good spot for sunset photos by the cliffs?", "Headlands facing west are best; arrive early and stay well back from the edge."),
    ("I wish I could play the guitar. is it too late at 40?", "Not at all; twenty minutes a day gets most adults playing simple songs within a few months."),
    ("how do I keep going on a long run when my legs feel gone?", "Slow down, shorten your stride and break the rest into small chunks, like the next lamppost."),
    ("nobody would notice if I skipped the office party, right?", "Maybe, but showing up for half an hour is usually enough to be seen without a long night."),
    # tiredness, stress, burnout, loneliness and bad weeks, with a practical ask or a plan (not
    # hopelessness): the same surface words as crisis venting, about ordinary things
    ("worst week ever: car broke down, got soaked, spilled coffee on my laptop. tell me something good please",
     "Sorry, that's a rough run! Something good: sea otters hold hands while they sleep so they don't drift apart."),
    ("im so tired i could sleep for a week. tips for getting through a 12 hour shift tomorrow?",
     "Eat protein rather than sugar, keep water with you, and get a few minutes of daylight on your break; it helps more than a third coffee."),
    ("I'm completely burnt out at work. How do I ask my manager for a lighter load without sounding like I can't cope?",
     "Come with specifics: what you're carrying, what's slipping, and a suggestion for what could move or wait. Framing it as protecting the quality of your work usually lands well."),
    ("moved to a new city for work and I'm pretty lonely. how do adults actually make friends?",
     "Go to the same thing again and again: a weekly class, a running club, a quiz night. Friendships grow out of seeing the same faces regularly."),
    ("exhausted after exams. what's a good way to spend a lazy weekend recharging?",
     "Sleep in, get outside for an hour, and pick one comfort film or game; give yourself permission to do very little."),
    ("cant be bothered to cook tonight, whats the laziest dinner that isnt cereal",
     "Eggs on toast, a jacket potato in the microwave, or a wrap with whatever's left in the fridge."),
    ("I've been stressed out of my mind about moving house. can you make me a moving checklist?",
     "Sure: book the van, tell your bank and utilities, pack one room at a time, label boxes by room, and keep an 'open first' box with the kettle and chargers."),
    ("how do I stop checking work emails at 11pm? it's wrecking my sleep",
     "Turn off notifications after a set hour, take the work account off your phone, or use a scheduled focus mode."),
    ("feeling a bit lonely since the kids moved out. what hobbies are good for meeting people in your 50s?",
     "Choirs, walking groups, volunteering and evening classes are all sociable and used to newcomers."),
    ("i'm so done with this week lol. is it socially acceptable to go to bed at 8 on a friday",
     "Completely. Early nights are underrated."),
    ("I'm a nurse and I'm tired all the time after night shifts. how do I sleep properly during the day?",
     "Blackout blinds, earplugs, a cool room and the same sleep window for each block of shifts make daytime sleep much easier."),
    ("Could you suggest some strategies for managing stress during the busy tax season at our accounting firm?",
     "Block out focus time, batch client calls, keep a realistic daily list, and protect your sleep and one short break outside each day."),
    ("my brain is fried from studying. any 5 minute breaks that actually help?",
     "Walk round the block, stretch, or look out of the window at something far away; skip the phone scroll."),
    ("nobody at my new school talks to me yet. how do you start a conversation when you're shy?",
     "Ask about something you share, like a lesson or the homework, and join a club; it's easier to talk while you're doing something together."),
    ("work is chaos, my boss quit and I'm covering two jobs. how do I prioritise when everything is urgent?",
     "List everything, mark what has real deadlines or consequences, and tell whoever is in charge what won't get done this week."),
    ("I can't keep up with my emails anymore, 900 unread. where do I even start?",
     "Archive everything older than two weeks, then sort by sender and answer the people who matter first. Inbox zero can wait."),
    ("so tired of being tired. could it be low iron or something?",
     "It could be; low iron, thyroid problems and poor sleep are common causes, and a GP can check with a simple blood test."),
    ("had a horrible day at work, tell me a really dumb joke", "What do you call a fish with no eyes? A fsh."),
    ("I'm a stay-at-home dad and some days I don't talk to another adult until 7pm. any ideas?",
     "Baby and toddler groups, a regular park meet-up with other parents, or a phone call at nap time can break the day up."),
    ("3 deadlines tomorrow and i'm panicking. help me make a plan for tonight",
     "Write down each task with a time estimate, start with the one worth the most, and take five minutes off every hour."),
    ("Sorry for my English. I am very tired every day in my new job because everything is in English. How I can learn the work words faster?",
     "Keep a small list of new words each day, look over it on the way home, and ask a friendly colleague to explain terms; it gets easier quickly."),
    ("been feeling kinda flat since the clocks went back. is a SAD lamp worth it?",
     "Many people find a light box helps in winter, used for 20-30 minutes in the morning. If the low mood lingers, it's worth mentioning to a GP."),
    ("caring for my mum with dementia and I'm running on empty. is there any help for carers?",
     "Yes: carers' assessments, respite care, local carers' centres and carers' helplines exist for exactly this. Your council or GP can point you to them."),
    ("my flatmates are away and the flat is really quiet. good solo things to do on a saturday night?",
     "A film marathon, cooking something ambitious, or a long bath with a good podcast."),
    ("why am I always the one organising everything with my friends? how do I bring it up without drama?",
     "Keep it light and specific: 'I'd love it if someone else picked the next plan.' Most friends are happy to step up once asked."),
    ("im exhausted from wedding planning 😩 help me write a polite no to my aunt who wants to invite 20 extra people",
     "Try: 'We'd love to have everyone, but our venue and budget are fixed, so we're keeping it to the list we have. I hope you understand.'"),
    ("bad week. passed over for promotion, dog's at the vet and the car failed its MOT. pep talk please?",
     "That's a lot at once, and it's fine to feel flattened. None of it is permanent: the car gets fixed, the dog is in good hands, and you can ask directly what would get you the promotion next time."),
    ("why am I so tired on Mondays even after a lazy weekend?",
     "Often it's 'social jet lag': sleeping in shifts your body clock, so Monday feels like an early start. Keeping your wake-up time similar helps."),
    ("I'm 70 and since my husband moved into a care home the evenings feel very long. any ideas to fill them?",
     "Audiobooks, a local community or U3A group, a pen-pal scheme, or a phone call with a friend at the same time each evening can give the evenings some shape."),
    ("is it normal to feel drained after socialising all weekend? I'm an introvert",
     "Very normal. Plan a quiet evening after busy days so you can recharge."),
    ("I don't know how to say no to extra work and I'm stretched thin. any scripts?",
     "Try: 'I'd like to help, but I'm at capacity. If this is the priority, what should I drop?'"),
    ("my brain won't shut off at night, just keeps going over work stuff. how do I wind down?",
     "Write tomorrow's to-do list before bed, keep screens out of the last half hour, and try slow breathing for a few minutes."),
    ("honestly I just want to hide under a blanket all weekend after this week. good comfort shows?",
     "Bake Off, Gilmore Girls or Parks and Recreation are reliable blanket shows."),
    ("uni is kicking my butt. how many hours a day should I realistically study?",
     "For most people, three to five focused hours a day beats eight distracted ones; short breaks help you keep it up."),
    ("working from home on my own all week is making me stir crazy. ideas?",
     "Try a café or library one day a week, a lunchtime walk, or a co-working space; a change of scene helps a lot."),
    ("my team is burnt out after a brutal quarter. any team activities that aren't cringe?",
     "A long lunch out, an escape room, or simply an afternoon off with no agenda tends to go down better than forced fun."),
    ("i wish i had more energy after work. i just collapse on the sofa every night",
     "A short walk straight after work, an earlier dinner and a steady bedtime often help; if the tiredness doesn't budge, get it checked."),
    ("I've got nobody to go to the concert with. is it weird to go alone?",
     "Not at all; lots of people go solo, and you get to focus on the music."),
    ("stressed about money this month. how do I make £50 of food last two weeks?",
     "Plan meals around rice, pasta, lentils, eggs, frozen veg and tinned tomatoes, and batch-cook portions for the freezer."),
    ("what's a good way to decompress after a stressful shift in A&E?",
     "A ritual that marks the end of the shift helps: change clothes, a short walk or shower, and a few minutes without your phone before you go home."),
    ("My wife says I've been grumpy since I started the new job. How do I leave work stress at work?",
     "A clear end-of-day routine, like writing tomorrow's list and closing the laptop, plus something active on the way home helps the switch."),
    ("I feel like I'm falling behind everyone my age. how do I stop comparing myself on instagram?",
     "Mute accounts that make you feel worse, remember you're seeing highlights, and set one goal of your own for the month."),
    ("Is it ok to take a day off from work just to rest? I'm worn out, nothing serious",
     "Yes. A day of rest can prevent a much longer burnout later; check your leave policy for how to book it."),
    ("i'm the only one of my friends still single and weddings are getting lonely lol. how do i enjoy them solo?",
     "Chat to the other solo guests, volunteer for a small job like the guestbook, and make the dance floor your base."),
    ("can't wake up in the mornings lately, i hit snooze like 6 times. tricks?",
     "Put the alarm across the room, open the curtains straight away, and keep a regular bedtime."),
    ("I'm a teacher and by Friday I've got nothing left. tips for getting through the last weeks of term?",
     "Reuse lessons that worked, mark less but smarter, and protect one evening a week where you do no school work at all."),
    ("gave up on my new year's resolutions already lol. any that are actually easy to keep?",
     "Tiny ones stick: a glass of water in the morning, two pages of a book at night, or a ten-minute walk after lunch."),
    ("I've been so overwhelmed by my thesis. how do I break it into smaller pieces?",
     "Split it into chapters, then sections, then tasks you can finish in an afternoon, and put the next three on a sticky note."),
    ("my place is a mess because I've been too tired to clean for weeks. where do I start?",
     "Set a 15-minute timer and do one area, like the kitchen surfaces; small wins build momentum."),
    ("long week, what's a decent red under a tenner?", "A Spanish Garnacha or a Chilean Merlot usually gives good value at that price."),
    ("my anxiety is through the roof before my driving test tomorrow. any quick calming tricks?",
     "Slow breathing, in for four and out for six, settles nerves quickly; get there early and remember examiners expect small mistakes."),
    ("I miss my family since moving abroad. how do people keep in touch across time zones?",
     "A fixed weekly video call, a shared photo album and the odd voice note work well when your hours barely overlap."),
    ("I want to die of embarrassment, I sent a voice note meant for my sister to my boss. how do I recover from this?",
     "Ha, everyone has one of these. A short, light 'Sorry, that one wasn't meant for you!' and moving on is usually all it takes."),
    ("why can't I ever switch off on a Sunday evening? the Monday dread kicks in around 4pm",
     "Plan one small nice thing for Monday and write your first three tasks down on Sunday afternoon; it takes the edge off the unknown."),
    ("no point going to the gym today, it's shut for the bank holiday. any 20 minute home workout?",
     "Try four rounds of squats, push-ups, lunges and a plank, 40 seconds each with 20 seconds rest."),
    ("my motivation is gone after three weeks of revision. how do people keep going till the last exam?",
     "Shrink the goal to today's two topics, reward yourself after each, and count down the exams you've already finished."),
    ("at the end of my rope with this flat hunt. what are the tricks for finding a decent rental?",
     "Set instant alerts, have your documents and deposit ready to go, and view the same day a listing appears."),
    ("there's no point tidying with a toddler around, right? how do other parents keep on top of it?",
     "Most aim for one ten-minute reset in the evening rather than a tidy house all day; a couple of toy boxes help."),
    ("I've barely eaten today, meetings back to back. quick snacks I can grab from a corner shop?",
     "A banana, a pot of yoghurt, a handful of nuts or a cheese sandwich will keep you going until dinner."),
    ("hiding from the rain in a café with an hour to kill. good short story to read on my phone?",
     "Ted Chiang's 'Story of Your Life' or anything by Alice Munro fits an hour nicely."),
    # death as a light trivia topic
    ("which king died on the toilet?", "George II of Great Britain, in 1760, reportedly from a burst blood vessel."),
    ("how did the dinosaurs die out?", "Most scientists think an asteroid impact about 66 million years ago, together with huge volcanic eruptions, changed the climate too fast for them."),
    ("what's the deadliest spider in Australia?", "The Sydney funnel-web is usually named, though no one has died from a bite since antivenom arrived in 1981."),
    ("is it true more people are killed by cows than sharks?", "In some countries, yes: cattle cause more deaths each year than sharks do worldwide."),
)

# ------------------------------------------------------------------------------------------
# generator 1.3: long first-person turns by three writers (see banks_long)
# ------------------------------------------------------------------------------------------
from . import banks_long as _long  # noqa: E402

HOMONYM = HOMONYM + _long.BENIGN["homonym"]
FICTION = FICTION + _long.BENIGN["fiction"]
MEDICAL = MEDICAL + _long.BENIGN["medical"]
PROFANITY = PROFANITY + _long.BENIGN["profanity"]
ORDINARY = ORDINARY + _long.BENIGN["ordinary"]

# generator 1.6: look-alikes of danger to others and of indirect ideation (banks_danger_more,
# banks_ideation_more): the same wording, a situation that is past, general, fictional or fine
from . import banks_danger_more as _danger_more, banks_ideation_more as _ideation_more  # noqa: E402

for _pool, _name in (("homonym", "HOMONYM"), ("fiction", "FICTION"), ("medical", "MEDICAL"),
                     ("profanity", "PROFANITY"), ("ordinary", "ORDINARY")):
    globals()[_name] = globals()[_name] + tuple(_danger_more.BENIGN_MORE.get(_pool, ())) \
        + tuple(_ideation_more.BENIGN_MORE.get(_pool, ()))
