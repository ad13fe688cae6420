"""Request-specific reasons and alternatives a refusing assistant adds, per harm cluster (part C).

Hand-written for convguard's generator variations (``datagen.Variations.specific_refusals``, off by
default) by writer C. The refusal detector missed real
refusals that explain a SPECIFIC reason or fact about what was asked ("Posting invented reviews
about a competitor can expose you to a defamation claim and platform bans."), because generated
refusals only carried generic reasons. This module covers the clusters of the
specialized_advice, elections and defamation categories (see
:data:`convguard.datagen.banks_harm.HARM_CLUSTERS`) and holds:

* ``WHY``: per cluster, one (occasionally two) sentences on why the assistant will not help:
  a real-world medical, legal or civic risk, a legal fact stated generally, who is harmed, or
  why the request cannot be made safe. They never give operational detail (no doses, methods,
  steps, tools, or ways to avoid detection).
* ``INSTEAD``: per cluster, a specific safe alternative the assistant offers (a licensed
  professional, the official election authority described generically, fact-checking,
  legitimate complaints and reputation routes, reporting routes, the lawful version of the
  need). No phone numbers or URLs.

Every item follows a refusal opener ("I'm afraid I must decline.") and refers to the kind of
act, never to a particular target, so it fits any request of its cluster.

Voice (writer C): formal, careful and explanatory, with some empathy; long measured sentences
mixed with a few short ones; the occasional "Please", "It may help to know that" or
"In practice,"; now and then a slightly non-native turn of phrase ("This is not a thing I can
do safely for you"). British spelling.

All text was written for this project; none is taken from public red-team, jailbreak or
over-refusal benchmarks.
"""

from __future__ import annotations

#: per harm cluster: why the assistant will not help, specific to what was asked (a risk, a legal
#: fact, who gets hurt), one sentence each, added after a refusal opener; never how-to
WHY: dict[str, tuple[str, ...]] = {
    # -------------------------------------------------------------------- specialized_advice
    "dangerous_medical": (
        "Medicines are prescribed for a particular body, weight and condition, and what is safe for one person can dangerously slow the breathing or heart of another.",
        "It may help to know that babies, children, pregnant women, older adults and people with chronic illness are exactly the patients in whom unsupervised changes to treatment go wrong fastest.",
        "Conditions such as diabetes, epilepsy, heart failure and serious infection can become life-threatening within hours or days once proper treatment is withdrawn or delayed.",
        "Keeping the doctor uninformed removes the one person able to notice a dangerous change early, and the person in your care is the one who pays for it.",
        "In many places, withholding necessary medical care from a child or a dependent adult is treated as neglect, and it can lead to criminal charges or a safeguarding investigation.",
        "This is not a thing I can do safely for you. No answer from me can examine the person, check their other medicines, or respond if they take a bad turn.",
    ),
    "unlicensed_procedure": (
        "Any procedure that breaks the skin or enters the body carries a risk of heavy bleeding, nerve damage and deep infection, which a home setting has no means to manage.",
        "Even procedures that look minor can go badly wrong; near the face, a single mistake involving a blood vessel can cause tissue death or loss of sight.",
        "Performing medical or cosmetic procedures on other people without the required licence is a criminal offence in many countries, and charging money for it usually makes the legal position worse.",
        "In practice, it is the sterile conditions, the monitoring and the emergency equipment of a clinic that make these procedures survivable when something unexpected happens.",
        "Complications are often invisible at first. An infection or a clot may appear days later, when nobody knows exactly what was done.",
        "The person being treated carries all of the risk, including scarring or disfigurement that may be permanent and expensive to correct.",
    ),
    "harmful_diet_control": (
        "Prolonged starvation can disturb the body's salts and the rhythm of the heart, and eating again afterwards carries its own serious dangers without medical supervision.",
        "Restricting someone's food or encouraging them to purge can set off an eating disorder, and eating disorders have some of the highest death rates of any mental illness.",
        "For children and teenagers, going without enough food can stunt growth, delay puberty and weaken bones in ways that are not always reversible.",
        "Controlling what another person eats without their knowledge takes away their say over their own body, and it may be treated as abuse or neglect.",
        "Whoever it is, a body deprived of food begins to break down muscle, heart muscle included, and the damage builds quietly before anyone sees it.",
        "Please understand that this cannot be made safe with a better plan; the harm comes from the restriction itself.",
    ),
    "safety_bypass": (
        "Safety cut-offs and valves exist because equipment can explode, catch fire or release gas when it fails, and disabling them removes the last line of protection.",
        "Guards, interlocks and shut-offs are there because burns, crushing, amputation and poisoning happen faster than any person is able to react.",
        "In most countries, tampering with safety devices on workplace machinery, gas appliances or building fire systems breaks health and safety law and can void insurance.",
        "Neighbours, colleagues, residents and firefighters all share the consequences, and none of them agreed to take on that risk.",
        "When a protective device is removed, the failure it was built for tends to arrive without warning, often hurting people who never knew it was disabled.",
        "There is no careful way of doing this. The danger is simply the absence of the protection.",
    ),
    "fake_expert_guidance": (
        "Readers trust advice that appears to come from a doctor or other professional, and some of them will follow it exactly, with nobody there to warn them.",
        "Guidance like this travels far beyond its first audience, reaching people who are ill, frightened or short of money and least able to check it.",
        "Putting a real or invented professional's name on false guidance can amount to fraud or impersonation, and there may be liability for any harm that follows.",
        "It may help to know that people have died after replacing proven treatment with false cures promoted online, and families often discover the source only afterwards.",
        "Once published, misleading advice is very hard to withdraw. Copies and screenshots keep circulating long after the original is deleted.",
        "Even a short piece of it, such as a headline or a signature, carries the false authority that makes the whole document dangerous.",
    ),
    "legal_evasion_advice": (
        "Lying under oath is perjury, and hiding assets or destroying evidence can be charged as fraud, contempt or obstruction of justice, often more serious than the original dispute.",
        "Courts, trustees and auditors are experienced with exactly this behaviour, and being found out usually ruins your credibility on every other point of the case.",
        "In practice, a judge may draw adverse conclusions when evidence goes missing, which can cost you the very outcome you were hoping to protect.",
        "Coaching a witness to mislead is witness tampering in most legal systems, and it exposes the witness to prosecution as well, not only you.",
        "Other people are harmed too: a former partner or children who lose support, creditors who go unpaid, or someone who is wrongly blamed.",
        "Any advice from me on deceiving a court would leave you in greater legal danger than you are in now, so it is not a thing I can give.",
    ),
    # -------------------------------------------------------------------- elections
    "voter_suppression": (
        "Deliberately preventing eligible people from voting is a crime in most democracies, and in many places it carries a prison sentence.",
        "Tactics like this have historically been aimed at minority, young, elderly and poorer voters, and they deepen an exclusion those communities already face.",
        "It may help to know that intimidating voters or spreading false information about how to vote is specifically prohibited by election law in many countries.",
        "Wrongly removing people from the voter rolls can leave citizens turned away on election day, with no time left to put it right.",
        "Each suppressed vote takes away someone's voice on their schools, taxes and safety. That harm does not undo itself after the count.",
        "Keeping people from the polls undermines the legitimacy of the result itself, including for the side that appears to benefit.",
    ),
    "election_disinfo": (
        "False information about when, where or how to vote can make eligible people miss their chance entirely, and there is no second election day for them.",
        "Material designed to look like an official notice can amount to impersonating a public authority, which is an offence in many jurisdictions.",
        "Fear-based rumours, for example about police or immigration checks, keep vulnerable communities away from polling stations even when they have every right to be there.",
        "In practice, election misinformation moves through local groups much faster than corrections do, and many people never see the correction at all.",
        "Knowingly spreading false statements about voting procedures is a specific offence in a number of jurisdictions, quite separate from ordinary defamation.",
        "Even one headline or a borrowed logo can mislead on its own, so a small piece of it is not any safer than the whole.",
    ),
    "election_fraud": (
        "Voting more than once, casting ballots in other people's names or buying votes are serious crimes, with penalties that can include prison and loss of voting rights.",
        "Tampering with an election takes away the votes of real people; every fraudulent ballot cancels out an honest one.",
        "Elections are routinely audited, and discovered fraud usually leads to prosecutions and sometimes to the entire result being overturned.",
        "Even a small local or union election decides real things, such as budgets, contracts and who speaks for workers, so the harm is not minor.",
        "Fraud, once revealed, damages public trust in voting for years, and it gives others an excuse to doubt honest results.",
        "People who are bribed, or whose ballots are taken over, are often the most vulnerable, and they can be drawn into the legal consequences too.",
    ),
    "candidate_impersonation": (
        "Impersonating a candidate or an election official to mislead voters is illegal in many places, and newer laws target AI-generated robocalls and election deepfakes specifically.",
        "Voters who believe the fake message may stay home or change their vote, and they cannot get that ballot back afterwards.",
        "A convincing fake also harms the real person, who must spend the final days of a campaign denying words they never said.",
        "In practice, a forged announcement spreads within minutes, while any correction reaches only part of the same audience.",
        "Every such fake makes genuine statements easier to dismiss. Over time the public becomes less able to trust anything it sees or hears.",
        "Impersonating officials is treated as a serious violation by platforms and election authorities alike, and the person behind it may face both criminal and civil action.",
    ),
    "official_intimidation": (
        "Threatening or intimidating election officials and poll workers is a crime in many countries, and in some it is prosecuted at the national level.",
        "Many of these people are volunteers or ordinary local staff, and threats have already driven large numbers of them to leave the work altogether.",
        "Pressuring officials to discard valid ballots is asking them to disenfranchise voters and to break the law themselves.",
        "Threats that reach a person at home frighten their family as well, including children who have nothing to do with any election.",
        "Intimidation does not change what the ballots say. It only makes fair counting harder for everyone, voters on your own side included.",
        "This is not a thing I can do safely for you, because any message written to frighten a real person carries a real risk of harm to them.",
    ),
    "astroturfing": (
        "Fake accounts and manufactured groups deceive voters about how many real people hold a view, and that distorts the debate itself.",
        "Foreign funding of election activity is prohibited or tightly restricted in many countries, and concealing who paid can break campaign finance law.",
        "Coordinated inauthentic behaviour breaks the rules of every major platform, and networks that are discovered are typically removed and publicly reported.",
        "Newspapers and local forums depend on trust that letters and posts come from real residents; faking them crowds out the people who actually live there.",
        "In practice, a campaign meant to keep certain groups at home is a form of voter suppression, and it can carry the same legal risks.",
        "Even the account bios or a first batch of posts are the building blocks of the deception, so a partial version is not harmless either.",
    ),
    # -------------------------------------------------------------------- defamation
    "false_accusations": (
        "Publishing a false statement of fact that damages someone's reputation is defamation, and that person can sue for damages and legal costs.",
        "False accusations of abuse or crime can cost someone their job, their family and their safety, and the stigma often remains after the truth comes out.",
        "Inventing evidence goes further than defamation; it may be forgery or perverting the course of justice, which are criminal matters.",
        "Real victims are hurt by this as well. Every false claim makes it harder for genuine reports to be believed.",
        "It may help to know that the authors of anonymous posts can often be identified through court orders, and anonymity is no defence to a defamation claim.",
        "Once an accusation goes viral it cannot be called back; even a retraction rarely reaches everyone who saw the original.",
    ),
    "fake_reviews": (
        "Fake negative reviews about a real business can be defamatory, and owners have successfully sued people who posted invented claims about hygiene or safety.",
        "Writing fake reviews is also banned under consumer protection rules in a growing number of countries, and platforms remove them and may ban the accounts involved.",
        "A small business can lose much of its custom over a few alarming reviews, and its employees lose their income along with the owner.",
        "Invented reports of illness or mistreatment may trigger health or regulatory inspections, taking time away from complaints that are real.",
        "Readers are deceived too. They rely on reviews to make honest choices about where to eat, stay or seek care.",
        "Even one short review is a false statement published about real people, so writing only a few does not make it acceptable.",
    ),
    "fabricated_quotes": (
        "Attributing invented words to a real person presents them as having said something they never said, which is a classic form of defamation.",
        "Fake screenshots and emails may also count as forgery, especially when they are presented as evidence of a crime.",
        "In practice, a fabricated quote is repeated by people who believe it, so the damage spreads far beyond whoever created it.",
        "The person named may receive threats, lose their job or be investigated for something that never happened.",
        "Fabricated documents poison public debate. Once people know fakes are circulating, genuine evidence of wrongdoing becomes easier to dismiss.",
        "Small details such as a date stamp or a subject line are what make a forgery believable, so producing only those parts is no safer.",
    ),
    "smear_campaign": (
        "Deliberately spreading lies to damage someone is defamation, and a sustained campaign against one person can also amount to harassment under criminal law.",
        "False rumours of child abuse have led to innocent people being attacked, and some of those targeted have taken their own lives.",
        "Losing a job over invented claims can take years to recover from, and the person's family carries that cost as well.",
        "In practice, smear campaigns often turn back on those who start them, once colleagues and friends notice the claims do not hold up.",
        "The harm is rarely confined to one person; a rumour drags in their partner, their children and anyone who defends them.",
        "No version of this can be done safely. A lie about a real person is itself the harm, however carefully it is spread.",
    ),
    "defamatory_deepfake": (
        "Fabricated video, images or audio showing a real person doing something they never did can be defamatory, and some countries now have specific offences for harmful deepfakes.",
        "People tend to believe what they see and hear, so a fake clip can destroy a reputation before anyone thinks to question it.",
        "A faked image of a crime can also bring a police investigation down on an innocent person and waste resources needed for real cases.",
        "It may help to know that deepfake victims describe lasting fear and humiliation, because the material keeps resurfacing online for years.",
        "Showing someone harming a child, taking drugs or using slurs can expose them to threats and violence from strangers who believe it.",
        "Please understand that even the script, or the choice of where to post, is part of building the fake, so I will not do any piece of it.",
    ),
    "false_reports": (
        "Knowingly making a false report to the police or to child protection services is a criminal offence in many places, whatever the motive behind it.",
        "A false child-protection report can put a family through interviews, home visits and months of fear, and the children suffer from it as much as the adults.",
        "Investigators have limited time; every invented case draws attention away from children and victims who are in real danger.",
        "Made-up stories told to an employer or a school can cost someone their livelihood, and they may also give rise to a defamation claim against you.",
        "It may help to know that false reports often come to light in later proceedings, such as custody hearings, where they badly damage the reporter's own credibility.",
        "Once an official record exists, it can follow the accused person for years, even after they have been cleared.",
    ),
}

#: per harm cluster: a safe alternative the assistant offers instead, specific to the request
INSTEAD: dict[str, tuple[str, ...]] = {
    # -------------------------------------------------------------------- specialized_advice
    "dangerous_medical": (
        "Please bring your worries to the prescribing doctor or a pharmacist; they can review the treatment honestly with you, including any side effects that trouble you.",
        "If you are concerned about someone right now, urgent care or the emergency department is the right place, and they will not judge you for asking.",
        "It may help to write down what worries you about the current treatment, and I can help you turn that into clear questions for the next appointment.",
        "For struggles with sleep, feeding or behaviour, a health visitor, paediatrician or GP can suggest approaches that are safe for that person's age and health.",
        "Should you wish to explore herbal or dietary options, I can explain how to raise them with a doctor, so they are used alongside proper treatment and not instead of it.",
    ),
    "unlicensed_procedure": (
        "Please consider a licensed dentist, doctor or surgeon instead; many clinics offer payment plans, and some community services provide low-cost or free care.",
        "If cost is the obstacle, I can help you look into the kinds of subsidised clinics, teaching hospitals or public services that usually exist for people in that position.",
        "For a wound or swelling that worries you now, an urgent care centre or minor injuries unit can assess it the same day.",
        "Should you wish to offer treatments as a business, I can describe in general terms how people train and become licensed for aesthetic or medical work.",
        "It may help to prepare questions about risks, recovery and cost before a consultation, and this I am glad to help you with.",
    ),
    "harmful_diet_control": (
        "Please speak with a doctor or registered dietitian if weight is a real health concern; they can set goals that suit the person's age and condition.",
        "If you are worried that someone already has a difficult relationship with food, an eating disorder support service can advise you on approaching them gently.",
        "For athletes or clients, I can share general principles of balanced sports nutrition and explain why qualified nutrition staff are worth involving.",
        "It may help to talk about what is driving this worry, whether health, appearance or pressure from others, and I am willing to listen.",
        "In practice, families often do best with regular shared meals and a check-up with the GP, and I can help you plan how to raise that kindly.",
    ),
    "safety_bypass": (
        "If the device keeps tripping, that is usually the sign of a fault, and a qualified engineer or technician can find the actual cause.",
        "Please contact the manufacturer or the building's maintenance provider; they can repair or replace a faulty safety component properly.",
        "At work, the proper route is to raise the problem with a supervisor or safety representative, and unsafe equipment can also be reported to the workplace safety regulator.",
        "Should the equipment be too slow or inconvenient, I can help you write a clear request for an upgrade or a model better suited to the job.",
        "For anything running on gas, a registered gas engineer is the right person, and if you ever smell gas, please leave the building and call the emergency gas service.",
    ),
    "fake_expert_guidance": (
        "Should you wish to share health content, I can help you write something accurate that points readers to their own doctor, pharmacist or an official health service.",
        "Please consider working with a qualified professional who can review the content and put their own name to it honestly.",
        "If you believe in an alternative approach, I can help you present it truthfully as personal opinion, with the evidence and its limits clearly stated.",
        "It may help to learn how to read a study critically, and I am glad to explain how to judge the evidence behind a health or money claim.",
        "For financial content, I can help draft a balanced explainer that sets out the risks plainly and encourages readers to seek regulated advice.",
    ),
    "legal_evasion_advice": (
        "Please speak with a solicitor or lawyer; what you tell them is generally confidential, and they can defend your interests within the law.",
        "If money is tight, legal aid, a law clinic or a court's self-help service may be able to advise you at little or no cost.",
        "It may help to prepare an honest timeline of events and documents, which I can help you organise before you meet a lawyer.",
        "Should you fear losing assets, there are lawful ways to protect your position, such as negotiation, mediation or a fair settlement, and I can explain these in general.",
        "For a witness who is nervous, I can explain in general how giving evidence works, so they can prepare to tell the truth calmly.",
    ),
    # -------------------------------------------------------------------- elections
    "voter_suppression": (
        "Should you wish to win votes, I can help you write persuasive, honest campaign material about your candidate's positions.",
        "If you believe some registrations are genuinely invalid, the proper route is a formal challenge through the election office, following its published procedures.",
        "Please consider volunteering for voter outreach instead; persuading people is fully legitimate, while stopping them is not.",
        "It may help to look at why the other side is popular in those areas, and I can help you think of messages that answer those voters' concerns.",
        "For accurate information on dates and polling places, the official election authority's materials are the right source, and I can help you share them.",
    ),
    "election_disinfo": (
        "Please direct people to the official election authority for dates, polling places and voting methods; I can help you write a post that points them there.",
        "If you have seen a rumour like this circulating, I can help you write a calm correction for your local groups.",
        "Should you wish to criticise how an election is run, I can help you raise concerns honestly, with sources, through letters or public comment.",
        "It may help to learn how independent fact-checkers verify election claims, and I can explain the usual signs of a fake official notice.",
        "For get-out-the-vote work, I can draft accurate reminders that encourage everyone to check their own registration and polling details.",
    ),
    "election_fraud": (
        "Please put that energy into a legitimate campaign; I can help you plan canvassing, messaging or a volunteer rota.",
        "If you suspect the election is already being rigged, the election authority or the police are the right places to report it, and I can help you write down what you saw.",
        "Should you wish to help people who struggle to vote, I can explain in general how assisted and postal voting are meant to work under the official rules.",
        "For a union or club vote, I can help you draft fair election rules or a motion asking for independent oversight.",
        "It may help to reflect on why this result matters so much to you; I can help you make that case to voters honestly.",
    ),
    "candidate_impersonation": (
        "Should you wish to challenge this person, I can help you write honest criticism of their actual record, clearly labelled as coming from you.",
        "Clearly labelled satire or parody is a different matter, and I can help with something that no reasonable reader would mistake for the real thing.",
        "If you have already seen an impersonation like this, please report it to the platform and the election authority; I can help you write the report.",
        "It may help to know how to spot a fake robocall or doctored video, and I can explain the common warning signs so you can share them with others.",
        "For campaign work, I can draft a genuine message from your own side, with accurate information about when and how to vote.",
    ),
    "official_intimidation": (
        "If you doubt the result, most places have lawful ways to request a recount or file an election challenge, and I can explain these in general.",
        "Please consider becoming an accredited observer; observers may watch the count and raise concerns through proper channels.",
        "Should you wish to complain about an official's conduct, I can help you write a calm, factual complaint to the election authority.",
        "It may help to attend a public canvass or board meeting, where questions about the process can be asked openly.",
        "For strong feelings about the outcome, I can help you write to your representative, or an opinion piece that argues your case without threats.",
    ),
    "astroturfing": (
        "Should you wish to build real support, I can help you plan organising, volunteer recruitment and honest messaging for actual supporters.",
        "A letter to the editor under your own name can be very persuasive, and I am glad to help you write one.",
        "Please consider transparent paid advertising that carries the legally required statement of who paid for it.",
        "It may help to hold a public meeting or an online question session, which shows genuine community interest in a way no fake account can.",
        "If you have come across a network like this, I can help you write a report to the platform or to the election regulator.",
    ),
    # -------------------------------------------------------------------- defamation
    "false_accusations": (
        "If this person has truly wronged you, please consider a formal complaint to their employer, a regulator or the police, based on what actually happened.",
        "I can help you write an honest account of your own experience, keeping to facts you are able to support.",
        "Should there be a legal dispute between you, a solicitor can explain your options, including civil claims where you have really been harmed.",
        "It may help to talk through the anger or hurt behind this; I am willing to listen and to help you think about next steps.",
        "For any situation involving a possible danger to children, please report genuine concerns to the proper authorities, who can investigate fairly.",
    ),
    "fake_reviews": (
        "If you had a genuine bad experience, I can help you write an honest, fair review describing exactly what happened.",
        "Please consider complaining to the business directly first; many problems are resolved faster that way, and I can help you word it.",
        "For real hygiene or safety concerns, the local health or licensing authority is the right place to report, and they can inspect properly.",
        "Should you be competing with this business, I can help you improve your own listing and invite satisfied customers to leave genuine reviews.",
        "It may help to know that consumer advice services can guide you if you were overcharged or treated badly.",
    ),
    "fabricated_quotes": (
        "If you believe this person truly holds harmful views, I can help you find and cite their actual public statements accurately.",
        "Clearly marked satire that nobody could take for a real quote is possible, and I can help you write it with an obvious label.",
        "Should you have genuine evidence of wrongdoing, please take it unaltered to a journalist, a regulator or the police.",
        "For criticism, I can help you write an opinion piece that is honest about what is fact and what is your own view.",
        "It may help to learn how to verify a screenshot or quote before sharing it, and I am glad to explain the general approach.",
    ),
    "smear_campaign": (
        "If there is a real conflict, mediation or a frank conversation may achieve more than any rumour could, and I can help you prepare for it.",
        "Should this person have done something genuinely wrong, please raise it through formal channels such as HR, a regulator or the police.",
        "For a workplace dispute, I can help you document the facts and write a grievance that keeps to what you can show.",
        "It may help to talk about what happened between you; being hurt or passed over is painful, and there may be better ways forward.",
        "In an election contest, I can help you write honest contrast material about your rival's actual public record.",
    ),
    "defamatory_deepfake": (
        "If you have real footage of wrongdoing, please give the original, unedited version to the police or the appropriate authority.",
        "Should you be interested in the technology, I can explain in general how deepfakes affect society and how people learn to recognise them.",
        "For a conflict with this person, I can help you think through lawful options, such as a complaint, mediation or legal advice.",
        "Creative work with synthetic media that is consensual and clearly labelled is different, and I can discuss ethical guidelines for that.",
        "In case a fake of someone is already circulating, I can help you report it to the platform and explain where victims can find support.",
    ),
    "false_reports": (
        "If you have a genuine concern about a child's safety, please report exactly what you have seen, and leave the judgement to professionals.",
        "Should there be a custody or family dispute, a family lawyer or mediator can help you pursue your concerns lawfully.",
        "For problems with a coworker or teacher, I can help you write a factual complaint that keeps to real incidents.",
        "It may help to talk about what lies behind the wish to report them; conflicts like this are exhausting, and I am willing to listen.",
        "In case this person is harassing you, I can explain in general how to keep records and seek protection through proper channels.",
    ),
}
