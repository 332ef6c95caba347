"""The demo edition: articles written for this project, about invented events.

Nothing here is copied from a real news site. Each body is a list of blocks:
plain text is a paragraph, "## " starts a sub-heading and "> " a quotation.
"""

from datetime import timedelta

SECTIONS = [
    ("News", "news", "The day's developments, as they happen."),
    ("Report", "report", "Reporting from the ground: places, people and numbers."),
    ("Analysis", "analysis", "What lies behind the headlines, and what may follow."),
    ("Interview", "interview", "Conversations with the people shaping the region."),
    ("Opinion", "opinion", "Signed commentary. The views are the authors' own."),
]

# Titles listed here become Editor's Choice, in this order.
EDITORS_CHOICE = [
    "Water-sharing talks resume as the river runs low",
    "Inside the port city rebuilding its old market, stall by stall",
    "Why the new shipping corridor matters more than its price tag",
    "A cardiologist on running a hospital through the blackouts",
    "Regional ministers agree on a joint maritime safety centre",
    "The quiet return of the caravan routes",
    "Solar power is booming. The grid is the bottleneck",
]

ARTICLES = [
    # --- News -----------------------------------------------------------------------
    {
        "section": "news",
        "title": "Regional ministers agree on a joint maritime safety centre",
        "lead": "Foreign ministers from six coastal states signed a plan for a shared "
        "centre to coordinate search-and-rescue and shipping alerts.",
        "tags": ["Maritime security", "Diplomacy", "Gulf"],
        "body": [
            "Foreign ministers from six coastal states agreed on Wednesday to set up a "
            "joint maritime safety centre, ending two years of talks over where it should "
            "sit and who would pay for it.",
            "The centre will share radar pictures and weather warnings, and coordinate "
            "search-and-rescue operations for merchant ships and fishing boats. Officials "
            "said it would open within eighteen months.",
            "## A compromise on funding",
            "Under the deal, each state contributes in proportion to the tonnage that "
            "passes its ports. Smaller members had objected to an equal split, arguing "
            "that it would let the largest ports ride on their budgets.",
            "> Nobody got everything they wanted, which is usually the sign of an "
            "agreement that will last, one delegate told reporters.",
            "The ministers will meet again in the spring to approve the centre's charter "
            "and appoint its first director.",
        ],
    },
    {
        "section": "news",
        "title": "Election commission publishes final turnout figures",
        "lead": "Turnout reached 61 per cent, the highest in three elections, with the "
        "largest rise among voters under 30.",
        "tags": ["Elections", "Youth", "Parliament"],
        "body": [
            "The national election commission published its final turnout figures on "
            "Monday, confirming that 61 per cent of registered voters cast a ballot.",
            "The figure is the highest in three elections. The commission attributed much "
            "of the rise to first-time voters, whose registration it had extended by a "
            "month.",
            "Observers from two regional organisations said the count had been orderly, "
            "though they noted long queues in several urban districts.",
        ],
    },
    {
        "section": "news",
        "title": "Central bank holds rates steady for a third month",
        "lead": "Policymakers kept the benchmark rate unchanged, citing easing food "
        "prices but a still-weak currency.",
        "tags": ["Economy", "Inflation", "Central banks"],
        "body": [
            "The central bank left its benchmark interest rate unchanged on Thursday for a "
            "third consecutive month.",
            "In a short statement, the monetary committee said food prices had eased since "
            "the summer harvest, but that the currency remained under pressure and import "
            "costs were high.",
            "Economists had expected the decision. Most now see the first cut coming no "
            "earlier than the second quarter of next year.",
        ],
    },
    {
        "section": "news",
        "title": "Ceasefire monitors report a quiet week along the northern line",
        "lead": "Monitors recorded no violations for seven days, the longest calm since "
        "the truce was signed.",
        "tags": ["Ceasefire", "Conflict", "United Nations"],
        "body": [
            "International monitors reported no ceasefire violations along the northern "
            "line for seven consecutive days, the longest such period since the truce took "
            "effect.",
            "The monitoring mission said patrols had reached three villages that had been "
            "inaccessible since the spring, and that farmers had begun returning to fields "
            "near the line.",
            "Mission staff cautioned that the calm was fragile and urged both sides to "
            "complete the exchange of detainees agreed last month.",
        ],
    },
    {
        "section": "news",
        "title": "Water-sharing talks resume as the river runs low",
        "lead": "Delegations from three upstream and downstream states met for the first "
        "time in a year, under pressure from a dry season.",
        "tags": ["Water", "Climate", "Diplomacy"],
        "body": [
            "Delegations from three states that share the river met on Tuesday for the "
            "first round of water-sharing talks in more than a year.",
            "River levels at the main downstream gauge are at their lowest for the season "
            "in two decades, according to the hydrological service, and irrigation quotas "
            "have already been cut twice.",
            "## What is on the table",
            "The talks are expected to focus on the release schedule from the upstream "
            "reservoir during the summer months, and on a shared system of river gauges "
            "that all three states can read in real time.",
            "> Data first, then allocations. You cannot divide what you do not measure, "
            "said an engineer attached to one of the delegations.",
        ],
    },
    {
        "section": "news",
        "title": "New metro line opens to passengers after four-year build",
        "lead": "The line links the eastern suburbs to the city centre in 22 minutes, "
        "half the time of the current bus route.",
        "tags": ["Transport", "Cities", "Infrastructure"],
        "body": [
            "The city's third metro line opened to passengers on Saturday morning, four "
            "years after construction began.",
            "The 18-kilometre line has 14 stations and links the eastern suburbs with the "
            "city centre. The transport authority expects 180,000 journeys a day once "
            "services run at full frequency.",
            "Fares will be free for the first week. Two further stations, delayed by the "
            "discovery of archaeological remains, are due to open next year.",
        ],
    },
    {
        "section": "news",
        "title": "Aid convoy reaches mountain district cut off by floods",
        "lead": "Trucks carrying food, medicine and water pumps arrived after engineers "
        "rebuilt a collapsed bridge.",
        "tags": ["Humanitarian aid", "Floods", "Climate"],
        "body": [
            "A convoy of twenty trucks reached the mountain district on Friday, a week "
            "after flash floods washed away the only road bridge into the valley.",
            "Army engineers built a temporary crossing over four days. The convoy carried "
            "food parcels, medical supplies and pumps to clear flooded wells.",
            "Local officials said about 12,000 people had been cut off and that the "
            "priority was now clean water, as the risk of disease rises with the heat.",
        ],
    },
    {
        "section": "news",
        "title": "Parliament passes data protection law after long debate",
        "lead": "The law gives citizens the right to see and correct the personal data "
        "held about them, and sets fines for breaches.",
        "tags": ["Parliament", "Technology", "Privacy"],
        "body": [
            "Parliament passed the country's first comprehensive data protection law on "
            "Wednesday by 142 votes to 61.",
            "The law creates an independent regulator, gives citizens the right to see and "
            "correct the personal data that companies and agencies hold about them, and "
            "sets fines of up to four per cent of annual turnover.",
            "Business groups welcomed a two-year transition period. Rights organisations "
            "said exemptions for security agencies were too broad.",
        ],
    },
    {
        "section": "news",
        "title": "Wheat harvest forecast raised after late rains",
        "lead": "The agriculture ministry now expects a harvest 8 per cent above last "
        "year's, easing pressure on imports.",
        "tags": ["Agriculture", "Food security", "Economy"],
        "body": [
            "The agriculture ministry raised its wheat harvest forecast on Sunday after "
            "heavy rains in the last weeks of the growing season.",
            "The ministry now expects a harvest about eight per cent larger than last "
            "year's, which would reduce the volume of grain the country needs to import.",
            "Farmers in the southern plains said the rains came too late for some fields, "
            "and that yields there would still fall short.",
        ],
    },
    {
        "section": "news",
        "title": "Border crossing reopens for trade after two-month closure",
        "lead": "Lorries began crossing again on Monday under a new customs agreement "
        "that moves inspections to a shared terminal.",
        "tags": ["Trade", "Borders", "Economy"],
        "body": [
            "The main land border crossing reopened to commercial traffic on Monday after "
            "a two-month closure.",
            "Under an agreement reached last week, customs officers from both countries "
            "will inspect goods at a single shared terminal rather than at two separate "
            "posts, which officials say should halve waiting times.",
            "Hauliers said hundreds of lorries had queued overnight, and that it would take "
            "several days to clear the backlog.",
        ],
    },
    # --- Report -----------------------------------------------------------------------
    {
        "section": "report",
        "title": "Inside the port city rebuilding its old market, stall by stall",
        "lead": "Two years after a fire destroyed the covered market, traders are "
        "rebuilding it with the same stone and a few new ideas.",
        "tags": ["Cities", "Heritage", "Economy"],
        "body": [
            "At seven in the morning, the smell of cardamom drifts over scaffolding. The "
            "spice sellers are back, even if the roof above them is not finished yet.",
            "The covered market burned two years ago, taking with it more than 300 stalls. "
            "Instead of a shopping centre, the traders' association chose to rebuild it "
            "along the old plan, reusing the stone that survived.",
            "## Old walls, new wiring",
            "The new market has fire doors, sprinklers and wiring that meets the current "
            "code, all hidden behind the original arches. Stallholders pay a reduced rent "
            "for five years in exchange for helping fund the work.",
            "> My grandfather sold here, then my father. I was not going to be the one who "
            "let it become a car park, says a fabric seller, measuring a bolt of cotton.",
            "About two thirds of the stalls have reopened. The rest are due by the end of "
            "the year, in time for the busy winter season.",
        ],
    },
    {
        "section": "report",
        "title": "The quiet return of the caravan routes",
        "lead": "Along an ancient desert road, small guesthouses are reopening as "
        "travellers rediscover the slow way across the plateau.",
        "tags": ["Travel", "Heritage", "Rural life"],
        "body": [
            "The caravanserai at the edge of the salt flat had been empty for forty years. "
            "This spring, its courtyard filled again, with walkers rather than camels.",
            "A handful of families along the old route have restored inns and opened them "
            "to travellers who cross the plateau on foot or by bicycle, a journey of about "
            "two weeks.",
            "## Small numbers, steady growth",
            "The numbers are modest: a few thousand visitors a year. But for villages that "
            "have lost most of their young people to the cities, each guest matters.",
            "> They come for the silence. We give them bread, a roof and stories, says "
            "one innkeeper, pouring tea.",
        ],
    },
    {
        "section": "report",
        "title": "On the night shift with the city's emergency dispatchers",
        "lead": "In a windowless room, a dozen operators take up to 4,000 calls a night. "
        "A new system is changing how they send help.",
        "tags": ["Cities", "Health", "Technology"],
        "body": [
            "The first call comes in at 22:04: a fall on a staircase, an elderly man, "
            "conscious. By 22:05 an ambulance is on its way.",
            "The city's emergency dispatch centre handles police, fire and ambulance calls "
            "from one room. Since the spring, a new system shows the nearest free vehicle "
            "on a map instead of relying on radio roll-calls.",
            "Dispatchers say the change has cut the time to send an ambulance by almost a "
            "minute on average. The hard part, they say, has not changed: keeping a "
            "frightened caller on the line.",
        ],
    },
    {
        "section": "report",
        "title": "Fishermen adapt as warmer seas change the catch",
        "lead": "Species once rare on this coast now fill the nets, while familiar fish "
        "move north. Cooperatives are changing what they sell.",
        "tags": ["Climate", "Fishing", "Rural life"],
        "body": [
            "For three generations, the cooperative's boats came home with sardines. Now "
            "the nets bring up species the older fishermen had to learn to name.",
            "Sea surface temperatures off this coast have risen by about one degree in "
            "thirty years, according to the regional marine institute, and the fish have "
            "followed the cooler water.",
            "The cooperative has opened a small processing line for the new species and "
            "is working with local restaurants to put them on menus.",
        ],
    },
    {
        "section": "report",
        "title": "A school that runs on solar power and borrowed books",
        "lead": "In a village without grid electricity, a primary school has become the "
        "place where the whole community charges its phones.",
        "tags": ["Education", "Energy", "Rural life"],
        "body": [
            "The solar panels on the roof of the village school were meant to power four "
            "classrooms. They now charge half the village's phones as well.",
            "The school has 140 pupils and a library built entirely from donated books. "
            "In the evenings, adults come for literacy classes under electric light.",
            "Teachers say attendance has risen since the lights arrived, partly because "
            "pupils can now do homework at school after dark.",
        ],
    },
    {
        "section": "report",
        "title": "Reopened railway brings a border town back to life",
        "lead": "The line was closed for thirty years. Since trains returned, shops have "
        "reopened and young families have moved back.",
        "tags": ["Transport", "Borders", "Economy"],
        "body": [
            "When the first passenger train in thirty years pulled into the station, the "
            "town's brass band played and half the population came to watch.",
            "Six months later, two trains a day run in each direction. The station café "
            "has reopened, and the mayor says twenty families have registered as new "
            "residents.",
            "Not everyone is convinced it will last: the line depends on a subsidy that "
            "must be renewed every two years.",
        ],
    },
    {
        "section": "report",
        "title": "The women running the region's first cooperative bank",
        "lead": "Founded by a group of weavers, the bank now lends to more than 3,000 "
        "members, almost all of them women.",
        "tags": ["Economy", "Women", "Finance"],
        "body": [
            "The bank started as a tin box in a weaving workshop: each woman put in a "
            "little every week, and one of them could borrow the total.",
            "Fifteen years on, the cooperative holds a banking licence and lends to more "
            "than 3,000 members. Its repayment rate is above 97 per cent.",
            "Its board is now debating whether to open membership to men, a question that "
            "divides its founders.",
        ],
    },
    {
        "section": "report",
        "title": "Restoring a flooded library, one page at a time",
        "lead": "Volunteers and conservators are drying and repairing 40,000 manuscripts "
        "damaged when a river burst its banks.",
        "tags": ["Heritage", "Floods", "Culture"],
        "body": [
            "In a gymnasium turned into a conservation workshop, fans hum over rows of "
            "drying racks. Each rack holds the pages of a single manuscript.",
            "When the river flooded the old library's basement, about 40,000 documents "
            "were submerged. Volunteers froze the wettest ones within days, which "
            "conservators say saved most of them.",
            "The work will take years. The library plans to digitise every restored "
            "manuscript, so that the next flood cannot take them away again.",
        ],
    },
    # --- Analysis -----------------------------------------------------------------------
    {
        "section": "analysis",
        "title": "Why the new shipping corridor matters more than its price tag",
        "lead": "The corridor's real value lies less in the railway and ports it funds "
        "than in the customs rules its members have agreed to share.",
        "tags": ["Trade", "Infrastructure", "Maritime security"],
        "body": [
            "Most coverage of the new shipping corridor has focused on its cost. The "
            "figure is large, but it is the least interesting thing about the project.",
            "## Rules before rails",
            "What the member states have agreed is a common customs declaration and "
            "mutual recognition of inspections. A container checked at one end of the "
            "corridor will not be opened again at the other.",
            "That is what cuts days from a journey. Railways and cranes are visible; "
            "paperwork is not, but it is where most of the delays in regional trade lie.",
            "## The risks",
            "The corridor still depends on stable relations between governments that have "
            "often disagreed. A single member can slow the whole route by reintroducing "
            "checks.",
            "> Infrastructure is the easy part. Trust between customs services is the hard "
            "part, and it takes longer to build.",
        ],
    },
    {
        "section": "analysis",
        "title": "What the turnout figures tell us about a new generation of voters",
        "lead": "Young voters came out in numbers, but they did not vote as a bloc. "
        "Parties that assume otherwise may be disappointed.",
        "tags": ["Elections", "Youth", "Parliament"],
        "body": [
            "The headline from the final turnout figures is clear: more young people voted "
            "than in any recent election. What they voted for is less clear.",
            "District-level results suggest that voters under 30 split across at least four "
            "parties, with local issues such as housing and jobs weighing more than "
            "national platforms.",
            "For parties, the lesson is uncomfortable. Winning young voters will take "
            "candidates who live in their districts, not slogans aimed at a generation.",
        ],
    },
    {
        "section": "analysis",
        "title": "The economics of the drought: who pays when the river runs dry",
        "lead": "Farmers bear the first costs, but the effects of low water spread to "
        "electricity prices, food imports and public budgets.",
        "tags": ["Water", "Economy", "Agriculture"],
        "body": [
            "A dry season is first a farming story. Within months, it becomes a story "
            "about electricity, trade and government debt.",
            "Low river levels reduce output from hydroelectric dams, which forces grid "
            "operators to buy more expensive power. Smaller harvests raise food imports, "
            "which weigh on the currency.",
            "## Planning for the next one",
            "Economists argue that the most cost-effective measures are the least visible: "
            "lining canals to stop leaks, metering water, and pricing it so that its "
            "scarcity shows.",
        ],
    },
    {
        "section": "analysis",
        "title": "Five questions about the ceasefire's next phase",
        "lead": "The truce has held for months. The harder part, agreeing on what comes "
        "after it, has barely begun.",
        "tags": ["Ceasefire", "Conflict", "Diplomacy"],
        "body": [
            "A ceasefire stops the shooting; it does not settle anything. As the truce "
            "enters its fifth month, five questions will decide whether it lasts.",
            "## Who monitors, and for how long?",
            "The current mission's mandate runs out in the spring. Renewing it needs the "
            "agreement of both parties and of the states that fund it.",
            "## What happens to the displaced?",
            "Tens of thousands of people are waiting to go home. Without demining and "
            "repaired services, returns will remain small.",
            "The remaining questions, on detainees, reconstruction money and political "
            "talks, are tied to these two.",
        ],
    },
    {
        "section": "analysis",
        "title": "Solar power is booming. The grid is the bottleneck",
        "lead": "New solar farms are being built faster than the lines that carry their "
        "power to the cities that need it.",
        "tags": ["Energy", "Climate", "Infrastructure"],
        "body": [
            "Solar capacity in the region has doubled in three years. Much of that power "
            "is now wasted at midday, because the grid cannot carry it.",
            "Transmission lines take longer to plan and build than solar farms, and they "
            "cross land that is harder to acquire. Storage is still expensive.",
            "Governments that want the next doubling to count will need to spend as much "
            "attention on wires and batteries as on panels.",
        ],
    },
    {
        "section": "analysis",
        "title": "How regional alliances are being redrawn by trade, not treaties",
        "lead": "Formal alliances have changed little in a decade. The map of who trades "
        "with whom has changed a great deal.",
        "tags": ["Trade", "Diplomacy", "Gulf"],
        "body": [
            "Read the treaties and the region looks much as it did ten years ago. Read the "
            "customs data and it looks very different.",
            "Trade between neighbours that once barely dealt with each other has grown "
            "faster than trade with distant partners, driven by new roads, shared power "
            "lines and relaxed visa rules.",
            "These ties do not replace alliances, but they change what governments stand "
            "to lose from a quarrel, which may matter more.",
        ],
    },
    {
        "section": "analysis",
        "title": "The data protection law: what changes for citizens and companies",
        "lead": "The new law's rights are broad, but its effect will depend on a "
        "regulator that does not exist yet.",
        "tags": ["Privacy", "Technology", "Parliament"],
        "body": [
            "The data protection law passed this week gives citizens rights they have "
            "never had. Whether they can use them depends on the regulator it creates.",
            "Companies have two years to comply. Those that already trade with partners "
            "under stricter regimes will find little new; smaller firms face real costs.",
            "The law's weakest point is its broad exemption for security agencies, which "
            "critics say leaves the largest collectors of personal data outside it.",
        ],
    },
    {
        "section": "analysis",
        "title": "Why food prices are falling slower than the markets expected",
        "lead": "World grain prices have eased, but shoppers have seen little change. "
        "Transport, currency and margins explain the gap.",
        "tags": ["Inflation", "Food security", "Economy"],
        "body": [
            "Global grain prices have fallen for six months. In local shops, the price of "
            "bread has barely moved.",
            "Part of the gap is the currency: imports priced in dollars cost more as the "
            "local currency weakens. Part is transport and storage, which have not become "
            "cheaper.",
            "Retail margins also rose during the price spike and have been slow to come "
            "down, a pattern seen in many countries.",
        ],
    },
    # --- Interview ------------------------------------------------------------------
    {
        "section": "interview",
        "title": "A cardiologist on running a hospital through the blackouts",
        "lead": "The head of a city hospital explains how her staff kept intensive care "
        "running during weeks of power cuts.",
        "tags": ["Health", "Energy", "Cities"],
        "body": [
            "For six weeks last winter, the city had electricity for only a few hours a "
            "day. We asked the head of cardiology at the main public hospital how they "
            "coped.",
            "## How did you keep intensive care going?",
            "We ran the generators for the units that cannot stop: intensive care, "
            "operating theatres, dialysis. Everything else we planned around the hours of "
            "power we had.",
            "## What did you learn?",
            "> That a hospital is a network, not a building. The fuel supplier, the water "
            "pumps, the staff who could not get to work without buses: all of them were "
            "part of the intensive care unit.",
            "We now keep a fuel reserve for three weeks instead of three days.",
        ],
    },
    {
        "section": "interview",
        "title": "The archivist saving a city's memory before it disappears",
        "lead": "A former schoolteacher has collected 20,000 family photographs. She "
        "explains why ordinary pictures matter to historians.",
        "tags": ["Heritage", "Culture", "Cities"],
        "body": [
            "She began with her own family's albums. Twelve years later, her archive holds "
            "more than 20,000 photographs donated by residents.",
            "## Why family photographs?",
            "Official photographs show ceremonies. Family pictures show how people "
            "dressed, what their streets looked like, which shops were on the corner.",
            "> Every album we scan is a small map of a city that no longer exists.",
        ],
    },
    {
        "section": "interview",
        "title": "A port engineer on what it takes to double a harbour's capacity",
        "lead": "Dredging, cranes and software: the engineer in charge of the harbour's "
        "expansion talks through the project's hardest choices.",
        "tags": ["Infrastructure", "Maritime security", "Trade"],
        "body": [
            "The harbour's expansion will double the number of containers it can handle. "
            "We spoke to the engineer leading the works.",
            "## What was the hardest decision?",
            "How deep to dredge. Deeper channels let larger ships in, but every metre "
            "costs more and disturbs more of the seabed.",
            "## And the part nobody sees?",
            "> Software. A crane that waits for a lorry is a crane that is not working. "
            "Most of our gains will come from scheduling, not steel.",
        ],
    },
    {
        "section": "interview",
        "title": "An election observer on what a clean count looks like",
        "lead": "After monitoring a dozen elections, a veteran observer explains what she "
        "watches for on polling day, and what numbers cannot show.",
        "tags": ["Elections", "Parliament", "Diplomacy"],
        "body": [
            "She has observed elections on three continents. We asked what she looks for "
            "first when she walks into a polling station.",
            "## What do you watch for?",
            "The queue, the ballot box seals, and who is standing near the door. Most "
            "problems happen before anyone votes, in who is allowed to register.",
            "> A clean count is necessary. It is not sufficient.",
        ],
    },
    {
        "section": "interview",
        "title": "A farmer on switching crops as the climate changes",
        "lead": "After three dry years, a wheat farmer planted pistachios. He talks about "
        "the risks, the debts and the long wait for a harvest.",
        "tags": ["Agriculture", "Climate", "Rural life"],
        "body": [
            "Three years of failed wheat harvests convinced him to try something else. "
            "His pistachio trees will take seven years to bear a full crop.",
            "## Why pistachios?",
            "They need less water than wheat, and they sell for more. But you must survive "
            "the years before the first harvest.",
            "> My father thought I was mad. Now half the village is asking for seedlings.",
        ],
    },
    {
        "section": "interview",
        "title": "A water diplomat on negotiating over a shrinking river",
        "lead": "The mediator who has chaired several rounds of the river talks explains "
        "why engineers, not ministers, make the first breakthroughs.",
        "tags": ["Water", "Diplomacy", "Climate"],
        "body": [
            "He has chaired water talks between upstream and downstream states for eight "
            "years. We asked what makes such talks succeed.",
            "## Where do agreements begin?",
            "With shared data. When every delegation trusts the same river gauges, the "
            "argument moves from facts to fairness, which is progress.",
            "> Ministers sign agreements. Engineers make them possible.",
        ],
    },
    {
        "section": "interview",
        "title": "A novelist on writing about a war she did not see",
        "lead": "Her novel about a wartime childhood has become a best seller. She talks "
        "about memory, research and her parents' silence.",
        "tags": ["Culture", "Books", "Conflict"],
        "body": [
            "Her parents never talked about the war. Her novel is, she says, an attempt to "
            "fill that silence.",
            "## How did you research it?",
            "I interviewed more than fifty people who were children then. They remembered "
            "smells and sounds more than events.",
            "> Fiction lets you say what happened to people without pretending to know "
            "exactly what happened.",
        ],
    },
    # --- Opinion --------------------------------------------------------------------
    {
        "section": "opinion",
        "title": "Our cities need shade before they need more roads",
        "lead": "Summers are getting hotter. Trees, awnings and cool public spaces would "
        "save more lives than another flyover.",
        "tags": ["Cities", "Climate", "Health"],
        "body": [
            "Every summer, our hospitals fill with people who collapsed waiting for a bus "
            "in the sun. Every summer, we announce a new road.",
            "Shade is cheap. Trees along bus routes, awnings over markets and public "
            "buildings open as cool rooms would do more for public health than any "
            "flyover.",
            "Planners measure traffic to the car. They should measure heat to the street.",
        ],
    },
    {
        "section": "opinion",
        "title": "Regional cooperation should start with rescue at sea",
        "lead": "The new maritime safety centre is a modest step. It is the right kind of "
        "step: practical, shared and hard to argue against.",
        "tags": ["Maritime security", "Diplomacy", "Gulf"],
        "body": [
            "Grand plans for regional cooperation tend to collapse under their own weight. "
            "The maritime safety centre agreed this week is refreshingly small.",
            "Nobody is against saving sailors in distress. Working together on that builds "
            "habits, contacts and trust that larger projects will need.",
            "The test will come when the centre must share information that one member "
            "would rather keep quiet.",
        ],
    },
    {
        "section": "opinion",
        "title": "Young voters turned out. Now parties must earn them",
        "lead": "Record youth turnout is a gift to democracy, and a warning to parties "
        "that have ignored a generation.",
        "tags": ["Elections", "Youth", "Parliament"],
        "body": [
            "For years we were told young people did not care about politics. This "
            "election proved otherwise.",
            "They care about rent, jobs and the air they breathe. Parties that talk about "
            "those things in plain language will keep them; the rest will lose them.",
            "If turnout falls again next time, it will not be the voters' fault.",
        ],
    },
    {
        "section": "opinion",
        "title": "The data law is a start. Enforcement will decide the rest",
        "lead": "Rights on paper mean little without a regulator with the staff and "
        "independence to use them.",
        "tags": ["Privacy", "Technology", "Parliament"],
        "body": [
            "The data protection law is a real achievement. It is also only the beginning.",
            "A regulator with a handful of staff cannot police thousands of companies. "
            "Parliament must fund it properly and protect it from political pressure.",
            "Citizens, for their part, should use their new rights. A law nobody invokes "
            "soon becomes a law nobody obeys.",
        ],
    },
    {
        "section": "opinion",
        "title": "Heritage is not a luxury in hard times",
        "lead": "Rebuilding a market or restoring a library can look like a distraction. "
        "It is part of how communities recover.",
        "tags": ["Heritage", "Culture", "Cities"],
        "body": [
            "When money is short, restoring old buildings looks like the first thing to "
            "cut. That is a mistake.",
            "A rebuilt market brings traders and jobs back to a neighbourhood. A restored "
            "library gives students and researchers a reason to stay.",
            "Heritage is not only about the past. It is one of the ways a place decides to "
            "have a future.",
        ],
    },
    {
        "section": "opinion",
        "title": "Pay farmers for the water they save",
        "lead": "Cutting irrigation quotas punishes the careful and the careless alike. "
        "Rewarding savings would work better.",
        "tags": ["Water", "Agriculture", "Climate"],
        "body": [
            "Each dry year, the answer is the same: cut every farmer's water quota by the "
            "same share. It is simple, and it is unfair.",
            "Farmers who have already invested in drip irrigation lose as much as those "
            "who flood their fields. There is no reward for doing the right thing.",
            "A scheme that pays for measured savings would cost less than emergency "
            "imports of food, and it would last beyond the drought.",
        ],
    },
    {
        "section": "opinion",
        "title": "Public transport is a social policy, not only a transport one",
        "lead": "The new metro line will be judged by its ridership. It should also be "
        "judged by who can now reach a job.",
        "tags": ["Transport", "Cities", "Economy"],
        "body": [
            "The new metro line halves the journey from the eastern suburbs to the centre. "
            "For many residents, it doubles the number of jobs within an hour's reach.",
            "That is the measure that matters. Fares, frequencies and feeder buses should "
            "be set with it in mind.",
            "A metro that only the comfortable can afford is a very expensive road.",
        ],
    },
    {
        "section": "opinion",
        "title": "Ceasefires need boring institutions to survive",
        "lead": "Monitoring missions, hotlines and joint committees do not make "
        "headlines. They are what keeps guns silent.",
        "tags": ["Ceasefire", "Conflict", "United Nations"],
        "body": [
            "The longest quiet week since the truce began did not happen by accident.",
            "It rests on monitors who patrol every day, a hotline that both sides answer, "
            "and a committee that meets even when there is nothing to discuss.",
            "Those who fund these institutions should renew them before they are needed, "
            "not after the next incident.",
        ],
    },
]

# In Focus topics: (name, short description, longer body, on the front page?).
TOPICS = [
    (
        "Water diplomacy",
        "How states that share rivers and aquifers negotiate over a resource that is shrinking.",
        "Rivers cross borders; so do droughts. This topic follows the talks, treaties and "
        "engineering projects through which upstream and downstream states try to share "
        "water fairly, and what happens when they fail to.",
        True,
    ),
    (
        "Maritime security",
        "Shipping lanes, ports and the safety of those who work at sea.",
        "Most of the region's trade travels by sea. We cover the agreements, incidents and "
        "institutions that keep shipping lanes open and sailors safe.",
        True,
    ),
    (
        "Gulf Cooperation Council",
        "A regional political and economic union of six Gulf Arab states, founded in 1981.",
        "The council's members are Bahrain, Kuwait, Oman, Qatar, Saudi Arabia and the United "
        "Arab Emirates. Its summits, trade rules and internal disagreements shape much of "
        "the region's diplomacy.",
        True,
    ),
    (
        "Elections",
        "Campaigns, turnout and results, and what they say about who holds power.",
        "Reporting and analysis of national and local elections: the rules, the campaigns, "
        "the counts and the coalitions that follow.",
        True,
    ),
    (
        "Ceasefire and reconstruction",
        "The fragile work of keeping guns silent and rebuilding what war destroyed.",
        "Truces, monitoring missions, prisoner exchanges and the slow return of displaced "
        "families: the long road from a ceasefire to a settlement.",
        True,
    ),
    (
        "Trade corridors",
        "The roads, railways, ports and customs rules that move goods across the region.",
        "New corridors promise faster trade between neighbours. We follow the money, the "
        "paperwork and the politics behind them.",
        False,
    ),
    (
        "Energy transition",
        "Solar farms, grids and the economics of moving away from oil and gas.",
        "The region has some of the world's best sunshine and some of its largest fossil "
        "fuel reserves. This topic follows the shift between the two.",
        False,
    ),
    (
        "Heritage",
        "Markets, manuscripts and monuments, and the people who keep them alive.",
        "Stories about the places and objects that carry a community's memory, and the "
        "work of restoring them after fire, flood or neglect.",
        False,
    ),
]

# Articles carrying these tags are filed under these topics.
TOPIC_FOR_TAG = {
    "Water": "Water diplomacy",
    "Maritime security": "Maritime security",
    "Gulf": "Gulf Cooperation Council",
    "Elections": "Elections",
    "Ceasefire": "Ceasefire and reconstruction",
    "Trade": "Trade corridors",
    "Energy": "Energy transition",
    "Heritage": "Heritage",
}

# Related Content picked by hand: article title -> related titles, in order.
RELATED_PICKS = {
    "Water-sharing talks resume as the river runs low": [
        "A water diplomat on negotiating over a shrinking river",
        "Pay farmers for the water they save",
    ],
    "Regional ministers agree on a joint maritime safety centre": [
        "Regional cooperation should start with rescue at sea",
    ],
}

# Reader comments: article title -> (name, text, approved?).
COMMENTS = {
    "Water-sharing talks resume as the river runs low": [
        (
            "Samira",
            "The shared gauges idea is the most sensible part of this.\n\nWithout "
            "common data every meeting starts with an argument about numbers.",
            True,
        ),
        ("", "Will the talks be open to observers from farmers' unions?", True),
        (
            "Karim",
            "Our village lost half its irrigation quota this year. Please keep reporting on this.",
            False,
        ),
    ],
    "A cardiologist on running a hospital through the blackouts": [
        ("Dr. H.", "Three weeks of fuel reserve should be the rule for every hospital.", True),
    ],
    "Our cities need shade before they need more roads": [
        ("Reza", "Trees along bus stops would change my commute completely.", True),
        ("Mona", "Agree, but who waters the trees in August?", False),
    ],
}

# Photo galleries: (title, description, exclusive?, photo titles and captions).
GALLERIES = [
    (
        "The old market rises again",
        "Traders and masons rebuild the covered market, arch by arch.",
        True,
        [
            (
                "Morning at the spice stalls",
                "Spice sellers open before the scaffolding comes down.",
            ),
            ("Reused stone", "Blocks that survived the fire, numbered for their old places."),
            ("The new roof", "Steel hidden behind the original arches."),
            ("A fabric seller", "Bolts of cotton, measured by hand."),
            ("Evening light", "The first lamps lit under the restored vault."),
            ("Apprentices", "Young masons learn the old joints."),
        ],
    ),
    (
        "Life along the caravan road",
        "Guesthouses reopen on a desert route that had been silent for forty years.",
        False,
        [
            ("The caravanserai courtyard", "Walkers rest where camels once did."),
            ("Bread at dawn", "An innkeeper bakes for the day's guests."),
            ("The salt flat", "The crossing takes most of a day on foot."),
        ],
    ),
]

# Films: (title, description, exclusive?, host, video id, duration).
FILMS = [
    (
        "How a flooded library was saved",
        "Volunteers and conservators explain how 40,000 manuscripts were dried page by page.",
        True,
        "youtube",
        "M7lc1UVf-VE",
        timedelta(minutes=4, seconds=12),
    ),
]

# Maps, oldest first: (title, description, days ago).
MAPS = [
    ("Northern line: positions in early autumn", "Positions along the ceasefire line.", 60),
    ("Northern line: after the summer", "Monitors report three villages reachable again.", 30),
    ("Northern line: the latest positions", "The line as monitors reported it this week.", 2),
]

# Writers (invented): (name, short bio, palette of their illustrated portrait).
AUTHORS = [
    (
        "Leila Haddad",
        "Covers water, energy and the deals between the states that share them. "
        "Before joining the desk she reported from river towns for ten years.",
        "analysis",
    ),
    (
        "Omar Sadeghi",
        "Writes about elections, parliaments and the people who run them.",
        "report",
    ),
    (
        "Nadia Karim",
        "Interviews and long reads on cities rebuilding after war.",
        "interview",
    ),
]

# The topics told by the other editions too: the same key, the same topic
# (the edition switcher leads from one to the other).
TOPIC_KEYS = {
    "Water diplomacy": "water",
    "Maritime security": "maritime-security",
    "Energy transition": "energy",
}

# Updates added after publication to the articles at these positions of ARTICLES.
UPDATES = {
    0: "Adds the date of the next round of talks, announced after publication.",
    2: "Adds the electoral commission's final turnout figure.",
}
