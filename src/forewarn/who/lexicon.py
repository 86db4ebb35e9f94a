"""Word lists for telling names from other capitalised words (hand-written, no external source)."""

from __future__ import annotations

# Capitalised words that are never characters on their own: function words, interjections,
# days, months, deities, common sentence starters and story furniture.
STOP = frozenset(
    """
    a an the and but or nor so yet for of in on at to from by with without into onto upon over under
    about above below after before behind beside besides between beyond during except inside outside
    near off out through throughout toward towards until up down within across against along among
    around since than then there here where when while why how what which who whom whose that this
    these those it its it's i i'm i'll i'd i've me my mine myself we us our ours ourselves you your
    yours yourself yourselves he him his himself she her hers herself they them their theirs
    themselves one ones someone somebody something anyone anybody anything everyone everybody
    everything nobody nothing no none not never ever always sometimes often maybe perhaps yes yeah
    yep nope okay ok alright well oh ohh ooh ah ahh aah aw aww eh hm hmm hmmm hn hnn mm mmm huh uh
    uhh um umm er erm ugh ow ouch oops whoa wow hey hi hello bye goodbye shh shhh sh psst ha haha
    hehe heh tch tsk yay yup nah damn dammit darn god gods goddess lord jesus christ heaven hell
    satan please sorry thanks thank welcome congratulations indeed still just only even also too
    very really quite again once twice first second third last next now soon later today tonight
    tomorrow yesterday morning evening night noon midnight monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october november
    december spring summer autumn winter fall christmas easter halloween if unless because although
    though however whatever whoever whenever wherever whether all both each every either neither
    some any many much more most less least few several such same other another own is are was were
    be been being am do does did done have has had can could will would shall should might must let
    lets let's don't didn't doesn't can't couldn't won't wouldn't shouldn't isn't aren't wasn't
    weren't hasn't haven't hadn't mustn't that's there's here's what's who's where's how's he's
    she's they're we're you're they'll we'll you'll he'll she'll it'll i'd we'd you'd he'd she'd
    they'd come go get look see wait stop run stay listen hold give take tell make keep leave help
    try think know say said chapter part prologue epilogue book volume act scene end fin author note
    notes disclaimer summary warning warnings rating tags a/n an ps p.s. xxx ooc au ao3 omg lol wtf
    tv dvd usa uk english japanese french german american british chinese korean russian italian
    spanish mom mum dad mommy daddy mama papa mother father ma pa sis bro grandma grandpa granny
    nana baby honey sweetheart darling love dear sir ma'am madam miss mister team squad clan village
    city town school academy hospital street road house room office hall church temple forest river
    lake sea ocean mountain north south east west northern southern eastern western central
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Head nouns that make a capitalised phrase a place, organisation or event, not a person.
PLACE_HEADS = frozenset(
    """
    village city town forest woods wood river lake sea ocean bay mountain mountains hill hills
    valley vale castle palace kingdom empire republic academy school university college hospital
    clinic street road avenue lane tower island islands isle sea desert plains country land lands
    council festival hall church temple shrine cathedral station park bridge market inn tavern pub
    square gate gates army guard guards corps order ministry department agency bureau squad clan
    county province state states district harbor harbour port manor estate house gardens garden cafe
    café restaurant hotel bar club company corporation industries institute library museum prison
    jail tournament cup games war wars battle day night eve
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Geographic head words that end a place name ("Skerry Point", "Raven Cove", "Ash Falls"). They
# count only as the last word of a phrase of two or more words ("Rock Lee" is a person).
GEO_HEADS = frozenset(
    """
    point bay harbour harbor island isle islands village town city street road lane mountain
    mountains lake river forest woods castle tower manor academy school hospital station bridge
    falls valley cove creek heights ridge peak cliffs beach shore strait fjord glen abbey priory
    fortress citadel crossing gorge canyon reef lighthouse pier quay wharf docks avenue square
    gardens terrace rocks
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Heads that are also common family names ("Elias Hill", "Nora Wood"): a place only when the
# phrase's other words are not used on their own elsewhere in the text.
GEO_HEADS_SURNAME = frozenset(
    """
    hill hills wood hall head rock park green marsh moor heath fields ford mill court row
    fort cliff meadow farm
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Words that open a place name ("Mount Vire", "Cape Orin", "Lake Tarn").
GEO_LEADS = frozenset(
    """
    mount mt cape fort lake loch port
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Prepositions of place: a capitalised phrase after one (optionally with "the") is read as a place
# when nothing in the text uses its words like a person's name.
LOCATIVE_PREPS = frozenset(
    """
    at to from in into inside outside near toward towards within throughout past beyond across
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Words right before a capitalised word that mark it as a place (people are rarely "in X";
# "at"/"to"/"towards" are left out: people are looked at and walked towards).
PLACE_CUES = frozenset(
    """
    in into inside outside near within throughout
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Words right before a capitalised word that mark it as a common noun or a title ("her Hokage").
DETERMINERS = frozenset(
    """
    the a an this that these those his her their our my your its every each some any no
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Japanese honorifics stripped from a name ("Sasuke-kun" -> "Sasuke").
HONORIFICS = tuple(
    """
    kun chan sama san sensei senpai sempai kouhai kohai dono tan chi nii nee niisan neesan nii-san
    nee-san nii-chan nee-chan oniisan oneesan taichou taicho shishou hime sensei-sama
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Title words that precede a name ("Captain Levi", "Mr. Hudson").
NAME_TITLES = frozenset(
    """
    mr mrs ms miss mx dr doctor prof professor captain capt lord lady sir dame madam madame master
    mistress king queen prince princess duke duchess count countess baron emperor empress general
    commander lieutenant lt sergeant sgt major colonel admiral officer detective inspector agent
    sheriff deputy aunt uncle saint st sensei president chancellor senator judge nurse coach
    principal headmaster headmistress reverend pastor lady
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr st prof capt lt sgt mx jr sr
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Common English given names: weak evidence for a fandom on their own.
COMMON_GIVEN = frozenset(
    """
    john james peter paul mark david michael sam dean harry will jack tom tim bill ben daniel matt
    matthew chris steve steven tony bruce charles charlie henry george arthur frank fred alex adam
    rose grace hope lily mary jane kate anna emily emma amy martha donna clara alice max ruby eddie
    robin scott logan jason luke leo kevin jim bobby michelle
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Verbs that attribute a line of dialogue to its speaker.
SPEECH_VERBS = tuple(
    """
    said says say asked asks whispered whispers replied replies answered answers shouted shouts
    screamed screams yelled yells called calls cried cries muttered mutters murmured murmurs mumbled
    mumbles grunted grunts laughed laughs sighed sighs snapped snaps hissed hisses growled growls
    stuttered stutters stammered stammers exclaimed exclaims added adds continued continues began
    begins retorted retorts begged begs demanded demands ordered orders insisted insists agreed
    agrees admitted admits breathed breathes expressed spoke speaks told tells repeated repeats
    accused accuses invited invites sobbed sobs whimpered whimpers chuckled chuckles protested
    protests offered offers explained explains suggested suggests teased teases interrupted
    interrupts croaked croaks coughed coughs choked chokes rejected greeted greets announced
    announces declared declares responded responds questioned questions wondered wonders warned
    warns pleaded pleads promised promises remarked remarks commented comments noted notes managed
    gasped gasps groaned groans moaned moans blurted blurts sang sings drawled drawls purred purrs
    huffed huffs scoffed scoffs snorted snorts smiled smiles grinned grins nodded nods thought
    thinks
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
