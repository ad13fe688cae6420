"""Request-specific reasons and alternatives that a refusing assistant adds after its opener.

Hand-written for convguard's generator variations (``datagen.Variations.specific_refusals``, off by
default) by writer B. The refusal detector missed real
refusals that explain a SPECIFIC reason or fact about what was asked (who gets hurt, what the
law says, why the request can't be made safe), because generated refusals only carried generic
reasons. This module holds, per harm cluster of the malicious_code, hate, privacy and
sex_related_crimes categories (see :data:`convguard.datagen.banks_harm.HARM_CLUSTERS`):

* ``WHY``: one or two sentences on why the assistant won't help, specific to the kind of act
  requested: a real-world risk or consequence, a legal fact stated generally, who is harmed.
  Never how-to: no methods, steps, tools, code, commands or ways to evade detection.
* ``INSTEAD``: a safe alternative the assistant offers, specific to the request (defensive
  security, authorized practice, reporting routes, the legitimate version of the need, privacy
  protection for oneself, history or policy, victim support). No phone numbers or URLs.

Every item is meant to follow a refusal opener ("Not something I'll do.") and refers to the
kind of act, not a particular target, so it fits any request of its cluster. The
sex_related_crimes items stay non-graphic: consent, the law, harm to victims, reporting.

Voice (writer B): direct, matter-of-fact, slightly clipped and technical, American spelling;
some items terse, some longer; the odd "Look," or "Bottom line:"; first person mixed with
impersonal statements.

All text was written for this project; none is taken from public red-team, jailbreak or
over-refusal benchmarks.
"""

from __future__ import annotations

#: per harm cluster: why the assistant will not help, specific to what was asked (a risk, a legal
#: fact, who gets hurt), one sentence each, added after a refusal opener; never how-to
WHY: dict[str, tuple[str, ...]] = {
    # ---------------------------------------------------------------- malicious_code
    "malware": (
        "Malicious code doesn't stay where you aim it; once it spreads, it hits machines and people you never meant to touch.",
        "Code like this has shut down hospitals and delayed patient care before, and there's no version of it that's reliably harmless.",
        "Building and spreading malicious software is a crime under computer misuse laws in most countries, and sentences scale with the damage done.",
        "Look, even a partial piece like the persistence or spreading logic is the dangerous part. Splitting it up doesn't make it safe.",
        "The people on the other end lose files, money and privacy, and they never agreed to be part of your project.",
    ),
    "intrusion": (
        "Accessing a system without the owner's permission is a crime under laws like the US Computer Fraud and Abuse Act.",
        "Getting in is rarely the end of it; poking around a live system can corrupt data or knock out services real people depend on.",
        "Trying to hide an intrusion afterward makes things worse legally, since concealment reads as clear intent.",
        "Systems like that hold other people's records, money or safety controls, and none of those people signed up for your test.",
        "Without written authorization from the owner, there's no such thing as a friendly break-in.",
    ),
    "phishing": (
        "Phishing is fraud, plain and simple, and the victims are often older people who lose savings they can't replace.",
        "Even just the email copy is the core of the scam; the wording is what tricks people into handing over their logins.",
        "Impersonating a bank, a company or a government agency to collect credentials is fraud in virtually every jurisdiction, and often identity theft too.",
        "Stolen logins get resold and reused, so one successful lure can drain accounts for months after it's taken down.",
        "Look, a convincing fake login page has exactly one purpose, and it isn't education.",
    ),
    "ddos": (
        "Traffic floods cause collateral damage: other customers on the same host or provider go down along with the target.",
        "Paying a booter or stresser service doesn't shield you; police have seized those services and gone after their customers.",
        "For a small shop or a streamer, a day offline can mean lost income they won't get back.",
        "When the target is a hospital, a school or a public portal, people lose access to care and services they actually need.",
        "Bottom line: knocking a service offline is sabotage, whatever the grudge behind it.",
    ),
    "credential_theft": (
        "Taking someone's passwords or session tokens is unauthorized access, and in most legal systems identity theft as well.",
        "Harvested credentials rarely stay put; they get sold, reused and tried against every other account the victim owns.",
        "People reuse passwords, so one stolen login can open someone's email, bank and medical portals all at once.",
        "Selling stolen passwords or card numbers is trafficking in access devices, a separate federal crime in the US.",
        "There's no harmless way to quietly collect other people's secrets.",
    ),
    "account_takeover": (
        "Hijacking someone's account hands you their private messages, contacts and often their money, none of which is yours.",
        "Getting around the two-factor login on another person's account is unauthorized access, full stop.",
        "Locking an owner out is a common control tactic of stalkers and abusive exes, and victims can lose years of photos and contacts.",
        "Taking over a creator's or business account can wipe out their income overnight, and recovery often takes weeks.",
        "Bottom line: the only person who should be resetting that password is the owner.",
    ),
    "backdoor": (
        "A backdoor in widely used code hits every downstream user, potentially millions of people who trusted whoever shipped it.",
        "Supply-chain tampering like this is how some of the worst breaches of the past decade started.",
        "Shipping hidden data collection in a product defrauds your users and likely breaks privacy law and your employment contract.",
        "Sneaking malicious code past review isn't a clever trick; it sabotages the people whose job is to catch exactly this.",
        "Once a backdoor exists, anyone who finds it can use it, not just you.",
    ),
    # ---------------------------------------------------------------- hate
    "dehumanising_content": (
        "Calling a group vermin or subhuman is the language that preceded expulsions and genocides, from Nazi Germany to Rwanda.",
        "Dehumanizing jokes and memes normalize contempt, and the people targeted end up facing more harassment offline.",
        "Even a single slogan or punchline carries the whole message; making it shorter doesn't make it softer.",
        "Research links surges in dehumanizing rhetoric to rises in hate crimes, so this isn't just words on a screen.",
        "Look, it's not edgy humor. It's a whole group of people being written off as less than human.",
    ),
    "harassment_campaign": (
        "Using threats to drive people from their homes can be a hate crime, and in the US, interfering with housing by intimidation is a federal offense.",
        "Organized pile-ons don't stay online; targets get doxxed, threatened at home and sometimes physically attacked.",
        "Kids singled out at school miss classes, fall behind and face a real risk of self-harm.",
        "Recruiting others doesn't spread the blame thin: coordinated harassment can bring conspiracy and stalking charges for everyone involved.",
        "Bottom line: a campaign built to make neighbors feel unsafe is intimidation, and I won't organize it.",
    ),
    "slurs": (
        "Shouting slurs at people in public can be charged as harassment or a hate crime, depending on where you are.",
        "Slurs are built to wound; the person on the receiving end hears every previous time they were called that.",
        "Inventing fresh insults for a group just manufactures new tools for harassment.",
        "A list like this ends up in comment sections and schoolyards, aimed at real people.",
        "Words like these were used to justify segregation, beatings and worse, and their power comes straight from that history.",
    ),
    "pseudo_science": (
        "Fabricating data is research fraud, and fake studies about a group's inferiority once fueled forced sterilization and genocide.",
        "Claims of innate group inferiority don't hold up; most human genetic variation falls within groups, not between them.",
        "A polished fake abstract or chart lends false authority, which is exactly what makes it dangerous.",
        "Made-up crime statistics get screenshotted and shared for years, long after anyone checks the source.",
        "Bottom line: this is propaganda wearing a lab coat.",
    ),
    "extremist_recruitment": (
        "Inciting violence against a group is a crime in many countries, and a threatening flyer can count as a true threat under US law.",
        "Recruitment material is aimed at lonely, angry young men, and it works; several mass shooters were radicalized by content just like it.",
        "Manifestos get copied and quoted by the next attacker; they're written to outlive their author.",
        "A slogan or call to action is the working part of propaganda, so writing only that piece still does the job.",
        "Look, material meant to grow a movement against a group of people ends with somebody getting hurt.",
    ),
    "discrimination": (
        "Housing discrimination based on protected traits is illegal under US federal law and similar laws elsewhere, even when dressed up as neutral criteria.",
        "Hiding the bias doesn't make it legal; courts look at patterns and pretextual excuses, not just the stated reason.",
        "Screening out applicants by ethnicity, religion or sex breaks employment discrimination law, such as Title VII in the US.",
        "Turning people away from a bar or shop because of who they are violates public-accommodation laws in most places.",
        "The families on the receiving end lose homes, jobs and schooling, and that damage compounds over generations.",
    ),
    # ---------------------------------------------------------------- privacy
    "doxxing": (
        "Publishing someone's home address invites strangers to their door; swatting and assaults have followed doxxing before.",
        "A growing number of US states and other countries criminalize doxxing, especially when it's meant to harass or intimidate.",
        "When a person hasn't given you their address, tracking it down anyway looks exactly like the first step of stalking.",
        "A file on someone's home, work and family can be used to hurt them, and their relatives never agreed to be in it.",
        "Bottom line: where a private person sleeps is not public business.",
    ),
    "tracking": (
        "Covert location tracking is one of the most common tactics in stalking and domestic abuse, and it often escalates.",
        "Putting a tracking device on a vehicle you don't own, without consent, is illegal in many US states and other countries.",
        "Knowing where someone is at all times is control, and it gives the person tracking them a way to show up uninvited.",
        "Secretly following a person can meet the legal definition of stalking, which is a crime in every US state.",
        "Look, if it has to be hidden from them, that's the tell that they'd never agree to it.",
    ),
    "covert_surveillance": (
        "Intercepting someone's messages or calls without consent is wiretapping, a crime under US federal law and most state laws.",
        "Stalkerware is a hallmark of controlling relationships; victims describe it as being watched inside their own home.",
        "Even an employer can't lawfully read a worker's private accounts or personal phone just because they sign the paychecks.",
        "Anything found this way is tainted by how you got it, and a court can throw it out or use it against you.",
        "Hidden monitoring apps also hand the victim's data to the app vendor, and several of those vendors have leaked it in breaches.",
    ),
    "data_misuse": (
        "Disclosing patient records violates HIPAA in the US and similar health-privacy laws elsewhere, with criminal penalties for knowing disclosure.",
        "Selling personal data without consent breaches laws like the GDPR and state privacy statutes, and the fines are steep.",
        "Leaked identity data fuels fraud that victims spend years cleaning up, long after the leak itself is forgotten.",
        "People handed over that information trusting it would stay private; exposure can cost them jobs, relationships or their safety.",
        "Data you hold for a job is held in trust, not owned.",
    ),
    "deanonymise": (
        "Unmasking a whistleblower exposes them to retaliation, and many whistleblower laws protect their identity specifically.",
        "Anonymous survivors and sources often rely on that anonymity to stay safe from the people they spoke about.",
        "Amateur unmasking gets it wrong a lot, and the wrong person ends up harassed for something they never wrote.",
        "Critics and reviewers have a recognized right to speak anonymously, and US courts want a real legal claim before unmasking one.",
        "The point of finding their name is to do something to them, and that's the part I won't enable.",
    ),
    "face_search": (
        "Turning a stranger's photo into a name and address is how a lot of stalking cases start.",
        "Identifying people from protest footage can expose them to retaliation from employers, governments or violent groups.",
        "A photo taken secretly already skipped consent; running it through face search compounds the problem.",
        "Facial recognition misidentifies people, particularly women and people of color, so the wrong person could end up targeted.",
        "Using someone's biometric data without consent is restricted by laws like Illinois's BIPA and Europe's GDPR.",
    ),
    "records_snooping": (
        "Looking up records without a work reason is a fireable offense and often a crime, whether or not you use what you find.",
        "Borrowing a colleague's login gets them blamed, and it can end their career along with yours.",
        "Health workers have been prosecuted and fined for snooping in the records of people they knew.",
        "Pulling a former partner's address from a government database is exactly what US driver-privacy law was written to stop.",
        "Bottom line: access to a work system is for the job, not for personal curiosity or grudges.",
    ),
    # ---------------------------------------------------------------- sex_related_crimes
    "nonconsensual_imagery": (
        "Sexual deepfakes of a real person are image-based abuse, and many US states and countries now make creating or sharing them a crime.",
        "People targeted by fake nudes report the same shame and fear as victims of leaked real images, and the files are nearly impossible to scrub.",
        "One picture is enough to do the harm; it can be shared endlessly and used to threaten or humiliate them.",
        "Having public photos online is not consent to being put into sexual content.",
        "Look, it's a real person's face and identity, and they didn't agree.",
    ),
    "sextortion": (
        "Threatening to share intimate images for money or more pictures is extortion, a felony in the US and a crime nearly everywhere.",
        "Sextortion has driven victims, many of them young, to suicide; the pressure it creates is crushing.",
        "Sharing intimate images without consent is itself illegal in almost every US state and many countries, separate from the threat.",
        "The first message is the crime, so there's no draft of it that stays on the right side of the law.",
        "Bottom line: using someone's private images as leverage is abuse.",
    ),
    "drug_facilitated_assault": (
        "Someone who is drugged or too intoxicated can't legally consent, so what's being described is rape.",
        "Spiking a drink is a crime on its own in many places, even before anything else happens.",
        "Sedatives combined with alcohol can stop a person's breathing; people have died from spiked drinks.",
        "Survivors of drug-facilitated assault often live with memory gaps and trauma that last for years.",
        "Look, planning to make someone unable to say no is planning an assault.",
    ),
    "voyeurism": (
        "Recording people without consent where they undress or use the toilet is a sex crime in the US, the UK and most other countries.",
        "Hosts who hid cameras in rentals have been prosecuted, banned from booking platforms and sued by their guests.",
        "Upskirt photography is a specific criminal offense in many places, including England and most US states.",
        "Footage like this tends to leak or get sold, so the people filmed can never be sure it's gone.",
        "Bottom line: bathrooms and changing rooms are where people have the strongest expectation of privacy.",
    ),
    "sexual_coercion": (
        "Sex obtained by pressure after someone has refused isn't consensual, and forced sex is rape.",
        "Demanding sex in exchange for keeping a job is quid pro quo sexual harassment, illegal under US workplace law and its equivalents abroad.",
        "Threats that leave a person feeling they have no choice remove consent, and many jurisdictions treat coerced sex as a sexual offense.",
        "Survivors of coercion often deal with depression, PTSD and fear at work or at home long afterward.",
        "Silencing someone afterward adds intimidation on top, and can bring witness-tampering or obstruction charges.",
    ),
    "trafficking": (
        "Forcing or tricking anyone into commercial sex is human trafficking, carrying long federal prison terms in the US and harsh penalties worldwide.",
        "Holding someone's passport to control them is a trafficking-related crime in its own right under US law.",
        "Debt is one of the most common control tools in trafficking, and using it to force sex work is coercion, not a business deal.",
        "Victims face violence, disease and trauma, and many are too frightened of deportation to seek help.",
        "Bottom line: people are not inventory to move, advertise or control.",
    ),
}

#: per harm cluster: a safe alternative the assistant offers instead, specific to the request
INSTEAD: dict[str, tuple[str, ...]] = {
    # ---------------------------------------------------------------- malicious_code
    "malware": (
        "I'd rather help you analyze how known malware families behave at a high level, from a defender's point of view.",
        "If you're learning security, an isolated lab with intentionally vulnerable virtual machines is the legal way to practice.",
        "Happy to walk through hardening a machine against infection: updates, offline backups, least privilege and endpoint protection.",
        "Want to study this properly? Malware-analysis courses teach it under controlled, legal conditions.",
    ),
    "intrusion": (
        "If the system is yours, I can help you audit its configuration and close the obvious gaps.",
        "Bug bounty programs and capture-the-flag events let you practice against targets that opted in, legally.",
        "Found a weakness in someone else's system? Report it to the owner through their disclosure or security contact.",
        "Locked out of your own device or account? The official recovery process is the route, and I'll walk you through it.",
    ),
    "phishing": (
        "Running an authorized phishing simulation at work? Use a vetted awareness platform with sign-off from security and HR.",
        "I can write a short guide teaching staff or older relatives how to spot fake login pages and texts.",
        "Got a phishing message yourself? Report it to the company being impersonated and through your email provider's report option.",
        "Happy to explain, in general terms, why phishing works on people, for a training deck or article.",
    ),
    "ddos": (
        "If you run a site, I can explain how rate limiting, CDNs and upstream filtering protect against floods.",
        "Load testing your own infrastructure, with your provider's permission, is the legitimate version of this.",
        "Upset with a site or a rival? A formal complaint, a public reply or a platform report works without the legal exposure.",
        "I'd be glad to go over how major DDoS incidents played out historically and what they cost victims.",
    ),
    "credential_theft": (
        "I can help you set up a password manager and two-factor login for your own accounts.",
        "If you manage the network, a formal credential audit with management sign-off is the legitimate route.",
        "Worried your own passwords leaked? Check a breach-notification service and rotate anything that shows up.",
        "Studying this for a security career? Training labs with dummy accounts teach credential attacks without real victims.",
    ),
    "account_takeover": (
        "If the account is actually yours, the platform's official recovery flow is the way back in, and I can walk you through it.",
        "Someone impersonating you or posting about you? Report the account to the platform for impersonation or harassment.",
        "Happy to help you lock down your own accounts with an authenticator app and saved recovery codes.",
        "Need something from a boss's or teacher's account? Ask them directly, or go through the organization's IT department.",
    ),
    "backdoor": (
        "If you suspect someone else planted malicious code, I can help you write it up for the maintainers or security team.",
        "I'd be glad to help design a transparent, opt-in telemetry feature with clear disclosure to users.",
        "Interested in supply-chain security? We can talk through signed releases, reproducible builds and dependency review.",
        "To test your team's code review, run a sanctioned red-team exercise with leadership approval and clear rules.",
    ),
    # ---------------------------------------------------------------- hate
    "dehumanising_content": (
        "If you're angry about a specific policy or incident, I can help you make that argument without attacking a group.",
        "I'd be glad to explain how dehumanizing propaganda worked historically, for an essay or a class.",
        "Want comedy with bite? I can help write satire aimed at the powerful rather than at a minority.",
        "Happy to help draft a strong opinion piece on the underlying issue, one that argues about policy rather than people's worth.",
    ),
    "harassment_campaign": (
        "If there's a real conflict with a neighbor, mediation services or a community meeting can actually resolve it.",
        "Seeing a campaign like this aimed at someone? I can help document it and report it to the platform or police.",
        "I'd rather help you turn a community concern into a lawful petition or a letter to local officials.",
        "Curious why pile-ons spread so fast? We can dig into the social psychology of online mobs.",
    ),
    "slurs": (
        "For a paper on hate speech, I can discuss how slurs function and how linguists study them, without listing any.",
        "If someone used a slur against you, I can help you think through reporting it or responding safely.",
        "Want to vent about someone who wronged you? Tell me what they actually did.",
        "I'd be happy to suggest reading on reclaimed language and the history of slurs as a research topic.",
    ),
    "pseudo_science": (
        "I can walk you through what genetics and criminology research actually says about group differences and their causes.",
        "If you're studying scientific racism, I'd be glad to cover its history and how it was debunked.",
        "Want to judge a study you've seen? Let's check its sample, methods and funding together.",
        "Happy to help build an honest data piece on crime or test scores that accounts for poverty and other confounders.",
    ),
    "extremist_recruitment": (
        "If you're researching radicalization, I can explain how recruitment pipelines work from a prevention perspective.",
        "Worried someone you know is getting pulled in? We can talk about warning signs and how exit programs help people leave.",
        "I'd rather help you push a political grievance through lawful advocacy, without targeting anyone's identity.",
        "Happy to discuss the history of extremist movements and how communities have pushed back against them.",
    ),
    "discrimination": (
        "I can help you write tenant, hiring or door policies that are fair, consistent and legally sound.",
        "Had a real problem with a specific tenant, employee or customer? Let's deal with that individual's conduct.",
        "If the issue is at a school, raising specific behavior with the principal is the legitimate route.",
        "Happy to explain what fair housing and equal employment rules require, so your policies stay compliant.",
    ),
    # ---------------------------------------------------------------- privacy
    "doxxing": (
        "If you need to serve legal papers, a process server or attorney can locate someone through proper channels.",
        "Being harassed by an online account? Report it to the platform and keep dated screenshots.",
        "I'd be glad to help you get your own address and phone number removed from data-broker listings.",
        "Trying to reach someone who went quiet? One message through a channel they still use, and accepting no reply, is the decent route.",
    ),
    "tracking": (
        "Worried about a family member's safety? Location sharing they know about and agreed to keeps trust intact.",
        "Think you're being tracked yourself? I can go over how to check your phone and car and where to get help.",
        "If jealousy or distrust is driving this, I'd rather help you plan an honest conversation or find a couples counselor.",
        "For a genuine safety threat from someone, police or a domestic violence advocate can act on it properly.",
    ),
    "covert_surveillance": (
        "If you suspect a partner is cheating, I'd rather help you raise it directly, or with a counselor.",
        "For employers: a written, disclosed monitoring policy on company-owned devices is the legitimate version, and I can help draft one.",
        "Concerned someone is spying on your phone? I can explain the warning signs and safe next steps.",
        "Tension with a roommate, coworker or in-law? Let's work on the actual issue instead of their messages.",
    ),
    "data_misuse": (
        "If your employer is mishandling data, a regulator or a whistleblower attorney is the protected way to raise it.",
        "I can help you set up consent-based marketing with clear opt-ins and an honest privacy notice.",
        "Need analytics? Aggregated or properly de-identified data is the route, and I can explain the basics.",
        "Furious with an employer? An employment lawyer can advise on your claims without putting anyone's records at risk.",
    ),
    "deanonymise": (
        "If an anonymous post is genuinely defamatory, a lawyer can ask a court to order the platform to identify the poster.",
        "A harsh review can be answered publicly and professionally; I can help you draft the response.",
        "Banned by a moderator? Most platforms have an appeals process, and I'll help you write the appeal.",
        "Want to protect your own anonymity online? Happy to go over the basics of keeping identities separate.",
    ),
    "face_search": (
        "If someone ghosted you, I'd rather talk through moving on than help locate them.",
        "When a stranger on video committed a crime, hand the footage to police and let them do the identifying.",
        "Concerned your own face is searchable? I can explain opt-out requests for face search engines and data brokers.",
        "Felt a connection with someone you saw once? A missed-connections post leaves the choice to reply with them.",
    ),
    "records_snooping": (
        "If you need your own records, you have a legal right to request them, and I can help write the request.",
        "For someone's criminal history in a legitimate context, a lawful, consent-based background check is the route.",
        "Need to contact an ex about custody or property? A family law attorney or the court can handle that.",
        "Spotted a colleague snooping in records? Report it to your privacy or compliance officer.",
    ),
    # ---------------------------------------------------------------- sex_related_crimes
    "nonconsensual_imagery": (
        "If fake images of you are circulating, I can explain how to request takedowns and where to report them.",
        "Interested in the tech? I can discuss deepfake detection and the policy debate around synthetic media.",
        "Attracted to someone? The honest route is asking them out and accepting the answer.",
        "Know someone who's been targeted? Image-based abuse support services can guide them through reporting and removal.",
    ),
    "sextortion": (
        "If someone owes you money or hurt you, a lawyer or small-claims court is the route that doesn't make you the criminal.",
        "Being threatened with your own images? Don't pay, save the evidence, and report it to police and the platform.",
        "I'd rather help you work through a bad breakup than help turn their photos into a weapon.",
        "Holding intimate images of an ex? Deleting them is the safest move for both of you, legally and otherwise.",
    ),
    "drug_facilitated_assault": (
        "If you're interested in someone, the only path is asking them while they're sober and respecting the answer.",
        "Worried a friend was spiked? Get them medical help right away and ask the hospital about testing.",
        "I'd be glad to explain how bar staff and party hosts keep drinks safe and spot spiking.",
        "These urges worrying you? A confidential therapist can help before anyone gets hurt.",
    ),
    "voyeurism": (
        "Need security for a rental? Visible exterior cameras, disclosed in the listing, are the accepted standard.",
        "Found a hidden camera somewhere? Don't touch it, photograph it, and report it to police and the venue.",
        "If you're struggling with compulsive urges to watch people, a therapist who treats sexual compulsions can help confidentially.",
        "I'm happy to explain how travelers can check a room for hidden cameras, to protect themselves.",
    ),
    "sexual_coercion": (
        "If you've been turned down, I'd rather talk about handling that feeling than about getting around it.",
        "Want to understand consent better? Happy to go over what freely given, ongoing consent looks like.",
        "Someone being pressured this way can get confidential support from sexual assault services or a workplace legal advocate.",
        "Look, if these urges feel out of control, a therapist can help you before anyone is harmed.",
    ),
    "trafficking": (
        "If you know someone is being held or forced into sex work, contact police or a national anti-trafficking hotline.",
        "I'd be glad to explain the warning signs of trafficking, so people can recognize and report it.",
        "Legitimate labor migration goes through licensed recruiters and proper visas; I can explain how that works.",
        "Owed money by someone? Civil court or a debt mediation service is the lawful way to recover it.",
    ),
}
