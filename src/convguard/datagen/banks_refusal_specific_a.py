"""Request-specific reasons and alternatives a refusing assistant adds, per harm cluster (part A).

Hand-written for convguard's generator variations (``datagen.Variations.specific_refusals``, off by
default) by writer A. The refusal head missed real refusals
that explain a SPECIFIC reason or fact about what was asked ("Pulling a tooth at home can leave
root fragments and cause a serious infection."), because generated refusals only carried generic
reasons. This module covers the clusters of the violent_crimes, non_violent_crimes,
child_sexual_exploitation and indiscriminate_weapons categories (see
:data:`convguard.datagen.banks_harm.HARM_CLUSTERS`) and holds:

* ``WHY``: per cluster, one-sentence reasons the assistant will not help: a real-world risk or
  consequence, a legal fact stated generally, who gets hurt, or why it can't be made safe.
  They never give operational detail (no quantities, recipes, methods, tools, steps, code or
  ways to avoid detection).
* ``INSTEAD``: per cluster, a specific safe alternative the assistant offers (de-escalation,
  reporting routes described generically, the legitimate version of the need, prevention and
  security advice, history or policy discussion, support services). No phone numbers or URLs.

Every item follows a refusal opener ("I can't help with that.") and refers to the kind of act,
never to a particular target, so it fits any request of its cluster. Child sexual exploitation
items stay abstract and clinical: children's safety, the law, lasting harm and reporting only.

Voice (writer A): plain, warm and concise, British spelling, second person, a little
conversational ("Honestly,", "The thing is,"). All text was written for this project; none is
taken from public red-team, jailbreak or over-refusal benchmarks.
"""

from __future__ import annotations

#: per harm cluster: why the assistant will not help, specific to what was asked (a risk, a legal
#: fact, who gets hurt), one sentence each, added after a refusal opener; never how-to
WHY: dict[str, tuple[str, ...]] = {
    # -------------------------------------------------------------------- violent_crimes
    "poisoning": (
        "Deliberately poisoning someone can be charged as attempted murder, even if the person makes a full recovery.",
        "Honestly, nobody can predict how a body will react; something meant to make a person ill can kill them, especially if they have a heart or kidney problem.",
        "The thing is, toxicology has become very thorough, and sudden unexplained illness is exactly what doctors and coroners look into.",
        "Other people can end up swallowing it too: a colleague, a child, whoever picks up the wrong cup or plate.",
        "Someone who's been poisoned can be left with lasting liver, kidney or nerve damage long after the argument is forgotten.",
    ),
    "assault": (
        "Injuries from a beating are impossible to control, and a single fall onto a hard floor can cause a fatal brain injury.",
        "Planning an attack in advance makes the charge and the sentence far more serious than a fight that just flared up.",
        "Hiring someone else to do it makes you a party to the assault, and arrangements like that tend to unravel once one person talks.",
        "The person on the receiving end may never fully recover, physically or mentally, and their family carries it with them too.",
        "Honestly, even when nobody ends up badly hurt, an assault conviction can cost you your job, your home and time with your own children.",
    ),
    "killing": (
        "In many countries there's no time limit on prosecuting murder, so cases stay open for decades and get solved when new evidence turns up.",
        "Taking a life is permanent in a way nothing else is; there's no undoing it for them, for the people who love them, or for you.",
        "The thing is, a death that looks like an accident still gets investigated closely, and plenty of murder inquiries start exactly that way.",
        "Arranging for someone to be killed is a serious crime in itself, and would-be hitmen quite often turn out to be undercover officers.",
        "A killing leaves children without parents, parents without children, and a whole circle of people grieving for the rest of their lives.",
    ),
    "shooting": (
        "Guns make every mistake fatal, and a bullet can pass through walls or cars and hit someone you never even saw.",
        "Police treat shootings as a top priority, and gun crime leaves far more evidence behind than films suggest.",
        "Self-defence claims are tested hard in court, and a planned shooting dressed up as self-defence is still murder.",
        "People who survive being shot often live with paralysis, chronic pain or years of operations.",
        "Getting hold of a gun illegally is a serious offence on its own, before anything else has even happened.",
    ),
    "arson": (
        "Fire spreads faster than anyone expects and rarely stays where it started, so neighbours and their children end up in danger too.",
        "Where someone could be inside, arson is treated as endangering life, and in places like the UK it can carry a life sentence.",
        "Fire investigators are very good at working out where and how a fire began, including ones staged to look like an accident.",
        "Firefighters have to go into burning buildings, so a deliberate fire puts their lives on the line as well.",
        "Smoke kills more people in house fires than the flames do, often before they've even woken up.",
    ),
    "mass_attack": (
        "An attack on a crowd kills and maims people who have no connection at all to whatever you're angry about.",
        "Crushes and panics can't be steered once they start, and it's usually children and older people who are hurt first.",
        "Even planning an attack like this, without carrying it out, is a serious terrorism or conspiracy offence in most countries.",
        "The thing is, survivors and witnesses of mass attacks often live with trauma for years, and whole towns carry the memory.",
        "Venues and police plan for exactly this kind of threat, and people who hint at an attack are often reported by those around them before they act.",
    ),
    "threats": (
        "Sending someone a threat of violence is a criminal offence in most places, whether or not you ever intend to act on it.",
        "Threatening a person's family to get money out of them is extortion, which courts punish heavily.",
        "Anonymous notes and messages are rarely as anonymous as people think, and police take threats like these seriously.",
        "A threat like this can leave someone too frightened to sleep, go to work or let their kids out of the house.",
        "Honestly, trying to scare someone out of a legal case can count as intimidation or perverting the course of justice, and it would wreck your own position.",
    ),
    # ---------------------------------------------------------------- non_violent_crimes
    "theft": (
        "Shops and workplaces check their stock and cash regularly, so small losses that add up usually get traced back to someone.",
        "Whoever you take from ends up paying for it: a colleague who gets blamed, a neighbour missing a parcel, a relative short on rent.",
        "Pinning it on someone else adds a second victim, and it can turn a theft charge into something much more serious.",
        "A theft conviction stays on your record and can shut you out of jobs handling money, care work and travel to some countries.",
        "Taking from a family member, especially an older one, counts as financial abuse, and it can break trust in a family for good.",
    ),
    "fraud": (
        "Scam victims often lose savings they spent a lifetime building, and many of them never see a penny of it again.",
        "Taking out credit in another person's name can leave them chased by debt collectors for money they never borrowed.",
        "Insurers run dedicated fraud teams and share data on claims, so false ones get flagged far more often than people assume.",
        "Targeting people who are elderly, grieving or new to a country counts against you in sentencing, and the penalties go up.",
        "Honestly, fraud doesn't just take money; victims often say the shame and loss of trust were the worst part.",
    ),
    "drug_trafficking": (
        "Supply offences carry long prison sentences, and anything intended for sale is treated far more harshly than possession.",
        "Street drugs are increasingly contaminated with potent synthetic opioids, so buyers die from something they didn't know they'd taken.",
        "Getting teenagers to carry or sell drugs is child criminal exploitation, and it drags young people into violence and debt.",
        "Trafficking networks run on violence, and the people at the bottom, couriers and small dealers, are the ones who get hurt or arrested.",
        "Couriers caught abroad can face very long sentences, and in some countries drug trafficking still carries the death penalty.",
    ),
    "money_laundering": (
        "Banks and payment services are legally required to report suspicious activity, and they aren't allowed to tell you when they do.",
        "Laundering is charged separately from the original crime, so you could end up with a second conviction on top of the first.",
        "Running dirty money through a business puts that business, and everyone who works there, at risk of investigation and seizure.",
        "Courts can confiscate assets linked to crime, including homes and savings, even years after the money first moved.",
        "The thing is, crypto isn't the hiding place people imagine; investigators follow funds across blockchains as a matter of routine.",
    ),
    "forgery": (
        "Making or knowingly using a false document or banknote is a criminal offence in virtually every country, even in small amounts.",
        "Forged papers tend to be used where something important depends on them, a pharmacy counter, a border, a job, so the people trusting them can get hurt.",
        "Staff at banks, borders and venues are trained to spot fakes, and being caught usually means arrest rather than just being turned away.",
        "Whoever ends up holding a forgery, often someone who bought it in good faith, is the one who loses out.",
        "Honestly, a forgery conviction marks you as dishonest on paper, which closes doors on jobs, visas and professional licences for years.",
    ),
    "break_in": (
        "Breaking into somewhere people live is treated much more seriously than other burglary, because someone could be home.",
        "Burglary victims often feel unsafe in their own homes for months afterwards, and some end up moving out altogether.",
        "Carrying equipment for a break-in can be an offence by itself, even before you've got anywhere near a door.",
        "Being somewhere you've no right to be can turn violent fast if someone's there, and that's how burglaries become assault cases.",
        "The thing is, entering a property without permission to steal is usually burglary in itself, even if you leave with nothing.",
    ),
    "illegal_firearms": (
        "Modifying a gun to fire automatically is a serious offence in most countries and carries long prison sentences.",
        "Removing or altering a serial number is a crime in itself in many countries, and it marks the gun as one meant for crime.",
        "Background checks exist to keep guns from people with a history of violence, and getting round them can put a weapon in exactly the wrong hands.",
        "Untraceable guns are turning up at crime scenes more and more, and whoever supplied them can be held responsible.",
        "Passing a gun to someone who's banned from having one is a serious crime, and you'd share the blame for anything they did with it.",
    ),
    # --------------------------------------------------------- child_sexual_exploitation
    "csem_creation": (
        "In many countries the law covers written and drawn material too, so calling it fiction or saying a character is older offers no protection.",
        "Material like this normalises the sexualisation of children, and abusers use it to groom real children.",
        "Protecting children comes before any creative request, and no framing, summary or setup makes this acceptable.",
        "Content like this feeds demand in a world that depends on the abuse of real children, so it's never harmless.",
        "Even a short passage or an outline would still sexualise a child, so there's no partial version of this.",
    ),
    "csem_access": (
        "Simply viewing or downloading abuse material is prosecuted as a serious sexual offence in most countries.",
        "Every search for this material adds to the demand, and demand is what leads to more children being abused.",
        "Specialist police units around the world work full time on finding people who seek out this material, and they succeed all the time.",
        "The children in this material are real, and many are still fighting to get it taken down years later.",
        "Trading or paying for it makes you part of the abuse network itself, and sentences rise sharply for that.",
    ),
    "grooming": (
        "Setting out to win a child's trust for sexual purposes is a criminal offence, whether or not anything else happens.",
        "Children who are groomed are often left unable to trust adults, and the damage can follow them into every relationship they have.",
        "No child is 'mature for their age' in a way that makes this okay; the responsibility is always entirely the adult's.",
        "Coaches, carers and anyone else in a position of trust face even stricter laws, because a child relies on them to be safe.",
        "The thing is, secrecy is what lets abuse carry on, and helping keep anything hidden would put a child at direct risk.",
    ),
    "csem_images": (
        "Generated or edited images that sexualise children are illegal in a growing number of countries, the UK included, even when no real child was photographed.",
        "Altering a real child's photo in this way harms that child directly, and the images can follow them online for years.",
        "Realistic generated images make it harder for investigators to identify and rescue real children who are being abused.",
        "Even describing such an image or writing the prompt for one would still sexualise a child, so there's no safe piece of this.",
        "Keeping these images for a private group still counts as possessing and distributing them, and it's prosecuted as a serious sexual offence.",
    ),
    "child_solicitation": (
        "Any sexual contact between an adult and a minor is abuse, and arranging or attempting it is a serious crime even if no meeting happens.",
        "Offering money or gifts to a child for sexual contact is treated as child sexual exploitation and carries severe penalties.",
        "However willing a young person seems, the law and basic safety say they can't agree to this, and the adult carries all of the responsibility.",
        "Adults who contact minors online for sex are caught regularly, often by officers who are posing as children.",
        "Being approached like this leaves young people frightened and ashamed, and less likely to ask for help next time something goes wrong.",
    ),
    # ----------------------------------------------------------- indiscriminate_weapons
    "explosives": (
        "Improvised devices are notoriously unpredictable, and a lot of the people injured by them are the ones who built them.",
        "A bomb in a public place kills and injures at random, and the blast reaches far beyond any one person or spot.",
        "Trying to get hold of bomb materials, or gathering information with that aim, can lead to terrorism charges on its own.",
        "The thing is, survivors of bombings often lose limbs, sight or hearing, and the first responders carry the trauma for years.",
        "Suppliers and authorities watch for unusual purchases, and tip-offs from shop staff and neighbours have stopped plenty of plots.",
    ),
    "chemical": (
        "Almost every country has signed the treaty banning chemical weapons, and national laws make producing or holding them a very serious crime.",
        "Toxic agents can't be aimed; wind, ventilation and water carry them to people nobody meant to hurt, children included.",
        "Home attempts with toxic chemicals regularly poison the people making them, along with anyone who lives nearby.",
        "Poisoning shared air or water harms whole neighbourhoods at once, hospitals included, and the effects can linger long afterwards.",
        "Survivors of chemical attacks can be left with damaged lungs, eyes and nerves for the rest of their lives.",
    ),
    "biological": (
        "Infections don't respect targets; once something is spreading, it reaches families, hospitals and countries nobody meant to hit.",
        "Developing or holding biological weapons is banned under international law and is a serious crime under national law too.",
        "Dangerous pathogens are locked down for good reason, and even trained scientists in secure labs have picked up accidental infections.",
        "Making a disease spread more easily could threaten millions of people, and there would be no way of taking it back.",
        "Honestly, outbreaks hit the most vulnerable hardest, babies, older people and anyone already ill, and they overwhelm the hospitals meant to help.",
    ),
    "radiological_nuclear": (
        "Radioactive contamination can make an area unsafe for years, forcing people out of their homes and businesses.",
        "People who handled radioactive material without knowing what it was have died from it, and so have those around them.",
        "Trafficking in nuclear or radioactive material is a serious international crime, and agencies work across borders to stop it.",
        "Exposure can cause radiation sickness, burns and cancers, and children are especially vulnerable to it.",
        "The thing is, any radiological release would cause panic and injuries in the rush to flee, and cost a city enormously for years.",
    ),
    "mass_casualty_planning": (
        "An attack meant to kill as many people as possible turns ordinary places, a station, a festival, a church, into sites of grief for generations.",
        "Planning something like this is a serious terrorism offence in itself, long before any weapon exists.",
        "Nobody can control a weapon like this once it's used, and rescuers, children and passers-by end up among the dead.",
        "Attacks like this don't only kill at the scene; they swamp emergency services so that other patients miss care too.",
        "Honestly, communities hit this way are changed permanently, with survivors living in fear and children growing up without parents.",
    ),
    "weapon_acquisition": (
        "Military weapons are built to kill many people at once, so there's no personal or harmless use for them outside the armed forces.",
        "Hidden online markets are heavily watched by law enforcement, and many weapon sellers there turn out to be police or scammers.",
        "Smuggling weapons across a border is a serious offence under customs and firearms law, with long prison sentences.",
        "Stealing from a military site means facing national security laws and some of the heaviest penalties there are.",
        "Old explosives, detonators and mines can be unstable, so even handling them puts you and everyone nearby at risk.",
    ),
    "infrastructure_attack": (
        "Damaging a dam, pipeline or power station could kill people far from the site, through floods, fires or power cuts to hospitals.",
        "People on home oxygen, dialysis or other life-support depend on power and water, and they're the first hurt when it fails.",
        "Sabotaging critical infrastructure is treated as terrorism or sabotage in most countries, with penalties up to life imprisonment.",
        "Industrial sites store hazardous materials, so damage to them can release toxic clouds over whole towns.",
        "The thing is, sites like these are closely monitored and protected, and people who take an interest in their weak points get noticed.",
    ),
}

#: per harm cluster: a safe alternative the assistant offers instead, specific to the request
INSTEAD: dict[str, tuple[str, ...]] = {
    # -------------------------------------------------------------------- violent_crimes
    "poisoning": (
        "If this person has hurt you or you feel trapped by them, I'm happy to help you work out a safer way out of the situation.",
        "Worried someone is tampering with your own food or drink? I can go through what to look out for and how to report it.",
        "You're welcome to tell me what they did; talking it through is often the first step towards deciding what to actually do.",
        "For a mystery novel, I can help you write the detective's side, how suspicion builds and how the case comes apart, without any method.",
    ),
    "assault": (
        "If someone has been threatening or hurting you, I can help you think about reporting it and keeping yourself safe in the meantime.",
        "When anger at someone gets this intense, it really helps to talk it through first, so tell me what happened if you like.",
        "Could I help you draft a firm, calm message setting out what you want from them instead?",
        "If what you really want is to feel safer out and about, I can explain what good self-defence courses teach about avoiding and escaping trouble.",
    ),
    "killing": (
        "If you're having thoughts about killing someone, please talk to a doctor or a crisis line today; those thoughts can be worked through with support.",
        "Should this be about someone who's putting you in danger, I can help you plan how to get safe and who to contact.",
        "Honestly, if there's a conflict behind this, I'd like to hear about it, and we can look at what might genuinely change things.",
        "For crime fiction, I'm glad to help with the investigation, the motives and the aftermath, leaving out any real method.",
    ),
    "shooting": (
        "If you feel you need protection from someone, I can help you think about reporting them and applying for a protective order.",
        "Are you feeling like you might actually hurt someone? Please call a crisis line or emergency services now; you don't have to carry this alone.",
        "Into shooting as a sport? I can explain in general terms how licensing and supervised ranges work where you live.",
        "We could talk about what's going on between you and this person; laying it all out often makes the next step clearer.",
    ),
    "arson": (
        "If you're in a dispute over property or money with this person, I can help you look at legal routes like small claims or mediation.",
        "Worried someone might set fire to your home? I can go through fire safety basics like smoke alarms and an escape plan.",
        "Honestly, if you're this angry, it's worth getting it out in words first; tell me what happened and we'll think about what's realistic.",
        "For a story involving a fire, I can help with the investigation, the emotion and the aftermath rather than how it was set.",
    ),
    "mass_attack": (
        "If rage or despair has got to the point where hurting lots of people is on your mind, please contact a crisis line or a doctor today.",
        "Should you know of anyone planning something like this, report it to the police straight away; you could save lives.",
        "I'm happy to talk about how big events are planned with crowd safety in mind, from stewarding to emergency routes for getting people out.",
        "For research or writing, we could look at what's known about preventing attacks and supporting communities afterwards.",
    ),
    "threats": (
        "If you want to make your point firmly, I can help you write a message that's clear and strongly worded without threatening anyone.",
        "Caught up in a legal dispute with them? A solicitor or legal advice service can tell you your real options, and I can help you prepare.",
        "Honestly, if they've wronged you, we can look at complaints, mediation or the courts, routes that can actually get you somewhere.",
        "Writing down everything you feel, in a note you never send, can take the heat out of it, and I'm happy to listen too.",
    ),
    # ---------------------------------------------------------------- non_violent_crimes
    "theft": (
        "If money's the problem, I can help you look at budgeting, benefits you might be entitled to, or hardship funds.",
        "Owed money by someone? I can explain how to chase it properly, from a formal letter to the small claims court.",
        "Worried about things going missing yourself? I can suggest ways to protect your deliveries, stock or savings.",
        "The thing is, if you're struggling with an urge to steal that you can't shake, a GP or counsellor can genuinely help with that.",
    ),
    "fraud": (
        "If you're short of money, I can help you look at legitimate options like debt advice, payment plans or grants.",
        "Want to protect a relative from scams instead? I can go through the common warning signs and how to bring it up with them.",
        "Got a genuine insurance claim? I can help you put it together clearly and honestly.",
        "Should you know of a scam that's already running, I can explain how to report it to the bank involved and the police.",
    ),
    "drug_trafficking": (
        "If you're using yourself and want to cut down or stay safer, I can point you towards drug services and harm reduction support.",
        "Are you in debt to someone who's pushing you into this? That's exploitation, and there are services and police teams who deal with exactly that.",
        "Need money fast? Let's look at legitimate options, from short-term work to emergency support schemes.",
        "For an interest in drug policy, I'm happy to talk through how different countries approach supply, decriminalisation and treatment.",
    ),
    "money_laundering": (
        "If you owe tax you can't pay, I can explain how to approach the tax office about a payment plan or a voluntary disclosure.",
        "Worried about money you've been handed or asked to move? A solicitor can advise you confidentially, and I can help you prepare for that conversation.",
        "Honestly, if someone's asked to run money through your account, that's a common way people get drawn in, and I can explain how to step away safely.",
        "For finance or compliance studies, I'm happy to explain in general terms how anti-money-laundering rules work and why they exist.",
    ),
    "forgery": (
        "If you've lost an official document, I can walk you through how to get a proper replacement.",
        "Need a qualification or licence you don't have yet? I can help you find the quickest legitimate route to getting it.",
        "Wondering whether something you've been handed is genuine? I can tell you who to check with and where to report a suspected fake.",
        "For a history or economics project, I'm glad to talk about famous counterfeiting cases and how they came to light.",
    ),
    "break_in": (
        "Locked out of your own home or car? A registered locksmith or your breakdown service can get you in, and I can help you find one.",
        "If you want to check your own place is secure, I can go through general home security advice like locks, lighting and alarms.",
        "Honestly, if someone has your belongings and won't return them, the police or a solicitor can help you get them back properly.",
        "Interested in security as a job? I can explain how people get into locksmithing or authorised penetration testing.",
    ),
    "illegal_firearms": (
        "If you want to own a gun legally, I can explain in general how licensing and background checks work where you live.",
        "Got a firearm you no longer want? Many places run surrender schemes or amnesties where you can hand it in safely, and I can tell you more.",
        "When a friend is banned from owning a gun, it can be worth talking with them about why, and about what would help them feel safe instead.",
        "We could look at how gun laws differ between countries and what the research says about their effects.",
    ),
    # --------------------------------------------------------- child_sexual_exploitation
    "csem_creation": (
        "If you're writing about a young character, I'm happy to help with their friendships, family, school life or growing up, with nothing sexual in it.",
        "Having sexual thoughts about children that you want to stop? Confidential help exists for exactly that, and I can help you find it.",
        "For a story that deals with abuse, I can help you write the aftermath and recovery with care, kept non-explicit and centred on the survivor.",
        "Should you come across content that sexualises children, report it to the platform and to the police or a child protection hotline.",
    ),
    "csem_access": (
        "If you're worried about your own urge to look for this, anonymous, confidential services exist to help people stop before anyone gets hurt.",
        "Came across this material by accident? Don't download or share it; report it to the platform and to a hotline that handles abuse images.",
        "Honestly, reaching out for help now, before things go any further, is the most important step you can take, and I can help you think it through.",
        "For research on online child protection, I'm glad to talk about how reporting and victim support work at a policy level.",
    ),
    "grooming": (
        "If you're having sexual feelings towards a child, please contact a confidential service for people worried about their thoughts; getting support now protects everyone.",
        "Worried that a child you know is being groomed? I can go through the warning signs and how to raise it with the police or social services.",
        "Working with children? I'm happy to help you understand safeguarding rules and good practice for keeping boundaries clear.",
        "Should a child already have been harmed, contact the police or children's services straight away; they know how to protect them.",
    ),
    "csem_images": (
        "If you've found sexualised images of a child online, AI-made ones included, report them to the platform and a hotline that handles abuse imagery.",
        "Worried that someone has altered a child's photos this way? The police and specialist services can help get them removed.",
        "For other projects with AI image tools, I'm glad to help, as long as children are kept completely out of anything sexual.",
        "As a parent, you might want to go through ways to share family photos more safely online, and I can help with that.",
    ),
    "child_solicitation": (
        "If you're drawn to children sexually and haven't acted on it, confidential help is available, and talking to someone now can stop harm before it happens.",
        "Looking for a relationship? I'm happy to talk about meeting people your own age in safe, respectful ways.",
        "When a minor contacts you in a sexual way, step back, don't reply, and let the platform or the police know.",
        "Honestly, if you think you might act on these urges, please contact a helpline or your doctor today; it's the right thing for you and for children.",
    ),
    # ----------------------------------------------------------- indiscriminate_weapons
    "explosives": (
        "If chemistry or engineering fascinates you, I can suggest safe, supervised ways to explore it, like courses, clubs or demonstration kits.",
        "Found something that might be a device? Move well away, keep others back, and call emergency services.",
        "Should you know someone is planning to use a bomb, please report it to the police or a counter-terrorism line immediately.",
        "For the history side, we could talk about how bomb disposal developed or how past attacks changed public safety.",
    ),
    "chemical": (
        "If you're curious about chemistry, I'm glad to help with safe, legal experiments or with studying for a chemistry qualification.",
        "Worried about chemicals in your home? I can explain how to store and dispose of cleaning products safely.",
        "For history or politics, we could look at how the international ban on chemical weapons came about and how it's enforced.",
        "Heard someone talk about releasing something toxic? Tell the police straight away; that's exactly the kind of tip they need.",
    ),
    "biological": (
        "If microbiology interests you, I can talk about how people train for careers in public health, vaccines or lab science.",
        "We could look at how past epidemics were brought under control, from the eradication of smallpox to modern vaccine programmes.",
        "Worried about catching something yourself? I can go over everyday protection like vaccines, hand hygiene and when to see a doctor.",
        "Should you know of someone trying to get hold of a dangerous pathogen, report it to the police immediately.",
    ),
    "radiological_nuclear": (
        "If nuclear physics fascinates you, I can suggest ways into it, from popular science books to university courses.",
        "We could talk about the history of nuclear weapons, the arms control treaties and how non-proliferation works.",
        "Interested in energy? I'm happy to explain how nuclear power is regulated and kept safe.",
        "Come across something marked as radioactive, or think you have? Keep away from it and contact emergency services.",
    ),
    "mass_casualty_planning": (
        "If you're feeling hatred or despair big enough to want to hurt a lot of people, please contact a crisis line or emergency services now.",
        "Know of anyone planning an attack? Reporting it to the police, even anonymously, can save lives.",
        "For study or writing, we could look at how societies respond to large-scale attacks and how they recover.",
        "I'm glad to talk about emergency preparedness, like what to do if you're caught up in an incident and how to help others safely.",
    ),
    "weapon_acquisition": (
        "If military history is your interest, I can recommend museums, books or documentaries about weapons and the wars they were used in.",
        "Found something that looks like old ordnance? Leave it where it is, keep people away and call the police.",
        "Thinking about a career in the armed forces or bomb disposal? I can explain how people usually get into that work.",
        "For research, we could look at how international arms trafficking is tackled, from treaties to border controls.",
    ),
    "infrastructure_attack": (
        "If you're interested in how infrastructure is kept resilient, I can talk about engineering careers or major failures and what was learnt from them.",
        "Worried about a safety problem at a plant or utility? I can explain how to raise concerns with the regulator or through whistleblowing channels.",
        "We could go over how to prepare your household for a power or water outage, with an emergency kit and a plan.",
        "Should someone have talked about attacking a site like this, please report it to the police straight away.",
    ),
}
