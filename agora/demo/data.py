"""The demo content `manage.py seed_demo` loads: a movement's space in many languages, as plain data.

Stable keys make the seed idempotent: categories by slug, tags by name, users by username and
topics by title within their category. Times are relative to the moment of seeding (days ago for
a topic, hours after the previous post for a reply), so the demo always looks alive.
"""

# Text in Cyrillic, Greek and CJK punctuation is the point of this file, not a look-alike trick.

from __future__ import annotations

from dataclasses import dataclass, field

SEE, REPLY, CREATE = 1, 2, 3  # CategoryGrant.Level, written out so this module imports no models

PUBLIC = {"everyone": SEE, "members": CREATE}

CATEGORIES: list[dict] = [
    {
        "slug": "ask-here",
        "name": "Ask here",
        "description": "Questions about editing, uploading, tools and the projects. Mark the reply that helped you.",
        "color": "green",
        "position": 1,
        "accepts_solutions": True,
        "grants": PUBLIC,
    },
    {
        "slug": "technical-help",
        "name": "Technical help",
        "parent": "ask-here",
        "description": "Queries, bots, tools, templates and gadgets.",
        "color": "teal",
        "position": 1,
        "accepts_solutions": True,
        "grants": PUBLIC,
    },
    {
        "slug": "community-news",
        "name": "Community news",
        "description": "Milestones, reports and announcements from volunteers and affiliates.",
        "color": "blue",
        "position": 2,
        # Everyone reads, members reply; announcing takes a first trust level.
        "grants": {"everyone": SEE, "members": REPLY, "trust_level_1": CREATE},
    },
    {
        "slug": "events",
        "name": "Events",
        "description": "Meet-ups, conferences, workshops and online gatherings.",
        "color": "orange",
        "position": 3,
        "grants": PUBLIC,
    },
    {
        "slug": "edit-a-thons",
        "name": "Edit-a-thons",
        "parent": "events",
        "description": "Plan an edit-a-thon, find mentors, share the results.",
        "color": "yellow",
        "position": 1,
        "grants": PUBLIC,
    },
    {
        "slug": "learning-and-evaluation",
        "name": "Learning and evaluation",
        "description": "What worked, what did not, and the numbers behind our programs.",
        "color": "purple",
        "position": 4,
        "grants": PUBLIC,
    },
    {
        "slug": "about-this-space",
        "name": "About this space",
        "description": "How this forum works, its rules, and feedback about it.",
        "color": "grey",
        "position": 5,
        "grants": {"everyone": SEE, "members": REPLY, "staff": CREATE},
    },
    {
        "slug": "wiki-loves-monuments",
        "name": "Wiki Loves Monuments",
        "description": "The photo contest of cultural heritage: national organisers plan, everyone reads.",
        "color": "brown",
        "position": 6,
        "group": "wiki-loves-monuments",
        "grants": {"everyone": SEE, "members": REPLY, "wiki-loves-monuments": CREATE},
    },
    {
        "slug": "affcom-room",
        "name": "AffCom working room",
        "description": "The Affiliations Committee's working space: applications, reviews, minutes.",
        "color": "pink",
        "position": 7,
        "group": "affcom",
        "grants": {"affcom": CREATE},
    },
    {
        "slug": "trust-and-safety-room",
        "name": "Trust and safety cases",
        "description": "Case notes of the trust and safety volunteers. Never shared outside the group.",
        "color": "red",
        "position": 8,
        "group": "trust-and-safety",
        "grants": {"trust-and-safety": CREATE},
    },
    {
        "slug": "staff-room",
        "name": "Staff room",
        "description": "Private: only staff see this category.",
        "color": "red",
        "position": 9,
        "grants": {"staff": CREATE},
    },
]

TAGS: dict[str, str] = {
    "wikipedia": "The free encyclopedia, in more than 300 languages.",
    "wikidata": "The free knowledge base.",
    "commons": "Wikimedia Commons: freely licensed media.",
    "wikisource": "The free library: transcribed and proofread texts.",
    "wiktionary": "The free dictionary.",
    "wikivoyage": "The free travel guide.",
    "arabic": "Content in Arabic (العربية).",
    "hindi": "Content in Hindi (हिन्दी).",
    "chinese": "Content in Chinese (中文).",
    "russian": "Content in Russian (русский).",
    "french": "Content in French (français).",
    "spanish": "Content in Spanish (español).",
    "portuguese": "Content in Portuguese (português).",
    "german": "Content in German (Deutsch).",
    "greek": "Content in Greek (ελληνικά).",
    "hebrew": "Content in Hebrew (עברית).",
    "amharic": "Content in Amharic (አማርኛ).",
    "edit-a-thon": "Editing events, online and in person.",
    "education": "Wikis in schools and universities.",
    "glam": "Galleries, libraries, archives and museums.",
    "gender-gap": "Closing the gender gap in content and contributors.",
    "tools": "Tools, bots, scripts and queries.",
    "japanese": "Content in Japanese (日本語).",
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    email: str  # the local part; the domain is example.org
    display_name: str = ""
    languages: str = "en"
    timezone: str = "UTC"
    location: str = ""
    bio: str = ""
    trust_level: int = 1
    is_staff: bool = False
    is_superuser: bool = False
    is_moderator: bool = False


ADMIN_USERNAME = "admin"
MODERATOR_USERNAME = "moderator"

USERS: list[DemoUser] = [
    DemoUser(
        ADMIN_USERNAME,
        "admin",
        "Agora admin",
        bio="The site's administrator account.",
        trust_level=4,
        is_staff=True,
        is_superuser=True,
    ),
    DemoUser(
        MODERATOR_USERNAME,
        "moderator",
        "Lucía Fernández",
        "es, en",
        "Europe/Madrid",
        "Madrid",
        "Moderator of this space. Wikipedia en español since 2009, mostly **botany** and *Spanish history*.",
        trust_level=3,
        is_moderator=True,
    ),
    DemoUser(
        "Emma Wright",
        "emma.wright",
        "",
        "en",
        "Europe/London",
        "London",
        "Community manager. Ask me anything about this forum.",
        trust_level=4,
        is_staff=True,
    ),
    DemoUser(
        "Kwame Mensah",
        "kwame.mensah",
        "",
        "en, tw",
        "Africa/Accra",
        "Accra",
        "Programs and events. Twi Wikipedia and offline editing with Kiwix.",
        trust_level=4,
        is_staff=True,
    ),
    DemoUser(
        "أميرة حداد",
        "amira.haddad",
        "",
        "ar, en",
        "Asia/Amman",
        "عمّان",
        "أساهم في ويكيبيديا العربية وويكي مصدر، وأنظّم ورشات تحرير للطالبات.",
        trust_level=2,
    ),
    DemoUser("محمد العلي", "mohammed.alali", "", "ar", "Asia/Riyadh", "الرياض", "", trust_level=1),
    DemoUser(
        "प्रिया शर्मा",
        "priya.sharma",
        "Priya Sharma",
        "hi, en",
        "Asia/Kolkata",
        "Delhi",
        "हिंदी विकिपीडिया और विकिडेटा पर योगदान करती हूँ।",
        trust_level=2,
    ),
    DemoUser("राहुल वर्मा", "rahul.verma", "", "hi", "Asia/Kolkata", "लखनऊ", "", trust_level=2),
    DemoUser("王芳", "wang.fang", "", "zh", "Asia/Shanghai", "上海", "在维基共享资源整理博物馆的照片。", trust_level=1),
    DemoUser(
        "李明 (Wikidata)",
        "li.ming",
        "Li Ming",
        "zh, en",
        "Asia/Taipei",
        "Taipei",
        "Wikidata and SPARQL. I answer query questions here when I can.",
        trust_level=3,
    ),
    DemoUser(
        "Анна Петрова",
        "anna.petrova",
        "",
        "ru, en",
        "Europe/Moscow",
        "Санкт-Петербург",
        "Пишу о русской литературе, помогаю новичкам.",
        trust_level=3,
    ),
    DemoUser("Дмитрий Соколов", "dmitry.sokolov", "", "ru", "Asia/Yekaterinburg", "Екатеринбург", trust_level=1),
    DemoUser(
        "Ελένη Παπαδοπούλου",
        "eleni.papadopoulou",
        "",
        "el, en",
        "Europe/Athens",
        "Αθήνα",
        "Εκπαιδευτικά προγράμματα και Βικιπαίδεια στα σχολεία.",
        trust_level=2,
    ),
    DemoUser(
        "נועה כהן",
        "noa.cohen",
        "Noa Cohen",
        "he, en",
        "Asia/Jerusalem",
        "חיפה",
        "ויקיפדיה בחינוך.",
        trust_level=2,
    ),
    DemoUser(
        "ሰላም ተስፋዬ",
        "selam.tesfaye",
        "",
        "am, en",
        "Africa/Addis_Ababa",
        "Addis Ababa",
        "Amharic Wikipedia editor and trainer.",
        trust_level=2,
    ),
    DemoUser("José Álvarez", "jose.alvarez", "", "es", "America/Mexico_City", "Guadalajara", trust_level=1),
    DemoUser(
        "Rosa María Quispe",
        "rosa.quispe",
        "",
        "es, qu",
        "America/Lima",
        "Lima",
        "Runasimi Wikipidiyapi qillqani. Talleres de edición en universidades.",
        trust_level=2,
    ),
    DemoUser("João Silva", "joao.silva", "", "pt", "America/Sao_Paulo", "São Paulo", "Wikisource em português.", 2),
    DemoUser("Mariana Costa", "mariana.costa", "", "pt, en", "Europe/Lisbon", "Lisboa", trust_level=1),
    DemoUser("Ana Lúcia Ferreira", "ana.ferreira", "", "pt", "America/Recife", "Recife", trust_level=0),
    DemoUser(
        "Françoise Dubois",
        "francoise.dubois",
        "",
        "fr",
        "Europe/Paris",
        "Lyon",
        "Je relis des textes du XIXᵉ siècle sur Wikisource.",
        trust_level=3,
    ),
    DemoUser("Léa Martin", "lea.martin", "", "fr, en", "America/Toronto", "Montréal", trust_level=1),
    DemoUser("Zoë Müller", "zoe.mueller", "", "de, en", "Europe/Berlin", "Berlin", "Bildrechte, Commons.", 2),
    DemoUser("Søren Østergaard", "soren.ostergaard", "", "da, en", "Europe/Copenhagen", "Aarhus", trust_level=2),
    DemoUser("Chidi Okeke", "chidi.okeke", "", "en, ig", "Africa/Lagos", "Enugu", trust_level=0),
    DemoUser("Oluwaseun Adeyemi", "seun.adeyemi", "Seun", "yo, en", "Africa/Lagos", "Ibadan", trust_level=1),
    DemoUser("Fatuma Wanjiru", "fatuma.wanjiru", "", "sw, en", "Africa/Nairobi", "Nairobi", trust_level=0),
    DemoUser(
        "Ingrid Johansson",
        "ingrid.johansson",
        "",
        "sv, en",
        "Europe/Stockholm",
        "Göteborg",
        "Libraries, GLAM partnerships and evaluation.",
        trust_level=3,
    ),
    DemoUser("Tomasz Kowalski", "tomasz.kowalski", "", "pl, en", "Europe/Warsaw", "Kraków", trust_level=1),
    DemoUser("Ayşe Yılmaz", "ayse.yilmaz", "", "tr, en", "Europe/Istanbul", "İstanbul", trust_level=1),
    DemoUser("Chen Wei", "chen.wei", "", "zh, en", "Asia/Singapore", "Singapore", trust_level=1),
    DemoUser("حمید کریمی", "hamid.karimi", "Hamid Karimi", "fa, en", "Asia/Tehran", "", trust_level=1),
    DemoUser("김지우", "jiwoo.kim", "", "ko", "Asia/Seoul", "서울", trust_level=0),
    DemoUser("Nguyễn Thị Mai", "mai.nguyen", "", "vi", "Asia/Ho_Chi_Minh", "Hà Nội", trust_level=1),
    DemoUser("Mihai Popescu", "mihai.popescu", "", "ro, en", "Europe/Bucharest", "Cluj", trust_level=0),
    DemoUser("田中さくら", "sakura.tanaka", "", "ja", "Asia/Tokyo", "東京", trust_level=1),
    DemoUser("Siddharth R.", "siddharth.r", "", "ta, en", "Asia/Kolkata", "Chennai", trust_level=1),
    DemoUser(
        "ਹਰਪ੍ਰੀਤ ਕੌਰ",
        "harpreet.kaur",
        "",
        "pa, en, hi",
        "Asia/Kolkata",
        "ਪਟਿਆਲਾ",
        "ਪੰਜਾਬੀ ਵਿਕੀਪੀਡੀਆ ਉੱਤੇ ਲਿਖਦੀ ਹਾਂ ਅਤੇ ਪਿੰਡਾਂ ਦੀਆਂ ਲਾਇਬ੍ਰੇਰੀਆਂ ਵਿੱਚ ਸੰਪਾਦਨ ਵਰਕਸ਼ਾਪਾਂ ਕਰਵਾਉਂਦੀ ਹਾਂ।",
        trust_level=2,
    ),
    DemoUser("ਗੁਰਮੀਤ ਸਿੰਘ", "gurmeet.singh", "", "pa", "Asia/Kolkata", "ਲੁਧਿਆਣਾ", trust_level=1),
]


@dataclass(frozen=True)
class Reply:
    author: str
    raw: str
    after_hours: float = 0  # after the previous post; 0 lets the seed pick a plausible gap
    quote: tuple[int, str] | None = None  # (post number, quoted text): written as a [quote] block
    reply_to: int | None = None
    likes: int | None = None  # None lets the seed pick a few


@dataclass(frozen=True)
class DemoTopic:
    title: str
    category: str
    author: str
    language: str
    raw: str
    days_ago: float
    tags: tuple[str, ...] = ()
    replies: tuple[Reply, ...] = ()
    likes: int | None = None  # on the opening post
    solution: int | None = None  # the post number marked as the answer, by the topic's author
    pinned_globally: bool = False
    pinned: bool = False  # in its category
    closed: bool = False
    bookmarks: tuple[tuple[str, int, str], ...] = field(default=())  # (username, post number, note)


TOPICS: list[DemoTopic] = [
    # About this space
    DemoTopic(
        "Welcome to Agora: start here",
        "about-this-space",
        ADMIN_USERNAME,
        "en",
        """Welcome to **Agora**, the shared space of our movement: volunteers, affiliates, staff and friends of \
Wikipedia, Wikidata, Commons, Wikisource and all the other projects.

A few things to know before you start:

- **Write in the language you are most comfortable in.** Set the topic's language in the composer so readers, \
search and screen readers get it right. Someone will usually answer in the same language.
- **Ask questions in [Ask here](/c/ask-here).** When a reply solves your problem, mark it as the solution so \
the next person finds it.
- **Share news, events and what you learned** in [Community news](/c/community-news), [Events](/c/events) \
and [Learning and evaluation](/c/learning-and-evaluation).
- **Be kind.** The same code of conduct applies here as on the wikis.

Say hello below and tell us which project you work on!""",
        days_ago=175,
        pinned_globally=True,
        likes=14,
        replies=(
            Reply(
                MODERATOR_USERNAME,
                "Hello everyone! I'm Lucía, one of the moderators. If something here looks wrong, flag it or "
                "write to @admin. ¡Bienvenidos!",
                after_hours=2,
            ),
            Reply(
                "Françoise Dubois",
                "Bonjour à toutes et à tous ! Je contribue surtout à Wikisource en français, où je relis des "
                "textes du XIXᵉ siècle. Ravie de vous lire ici.",
            ),
            Reply(
                "أميرة حداد",
                "مرحبًا بالجميع! أنا أميرة، أساهم في ويكيبيديا العربية وأنظّم ورشات تحرير في عمّان. "
                "سعيدة بوجود مساحة واحدة تجمعنا.",
            ),
            Reply(
                "प्रिया शर्मा",
                "सभी को नमस्ते! मैं हिंदी विकिपीडिया पर लिखती हूँ और विकिडेटा पर भी काम करती हूँ। यहाँ मिलकर अच्छा लगा।",
            ),
            Reply("王芳", "大家好！我主要在维基共享资源上传和整理博物馆的照片。很高兴认识大家。"),
            Reply("ሰላም ተስፋዬ", "ሰላም ለሁላችሁ! በአማርኛ ውክፔዲያ ላይ እጽፋለሁ። እዚህ በመገናኘታችን ደስ ብሎኛል።"),
            Reply("Анна Петрова", "Всем привет! Я пишу статьи о русской литературе и помогаю новичкам в Википедии."),
            Reply(
                "Chidi Okeke",
                "Hi all, I'm new! I started editing Wikidata last month after a workshop in Enugu.",
                quote=(1, "Say hello below and tell us which project you work on!"),
            ),
        ),
    ),
    DemoTopic(
        "How moderation works in this space",
        "about-this-space",
        "Emma Wright",
        "en",
        """Moderators keep this space friendly and useful. Here is what they do, and what you can do.

1. **Flag** a post that breaks the code of conduct, is spam, or is in the wrong place. Moderators review \
every flag.
2. Moderators may **move** a topic to a better category, **close** a topic that has run its course, or \
**hide** a post while they look at it.
3. Nobody edits your words to change their meaning. If a moderator edits a post (to remove personal data, \
for example), the revision history shows it.

Questions about a moderation decision? Reply here or send a message to @moderator.""",
        days_ago=172,
        pinned=True,
        replies=(
            Reply("José Álvarez", "¿Los moderadores pueden editar mis mensajes? I mean, without telling me?"),
            Reply(
                MODERATOR_USERNAME,
                "We can, but every edit is kept in the revision history, visible to everyone who can see the "
                "post, and we always leave a note explaining why.",
                quote=(2, "¿Los moderadores pueden editar mis mensajes?"),
            ),
            Reply("José Álvarez", "Perfecto, gracias Lucía."),
        ),
    ),
    # Ask here
    DemoTopic(
        "How do I add a reference to a Wikidata statement?",
        "ask-here",
        "Chidi Okeke",
        "en",
        """I added the date of birth of a Nigerian highlife musician on Wikidata, but a bot left a message saying \
the statement needs a reference.

I can see the **+ add reference** link, but I am not sure which property to use for a newspaper article. \
Can someone explain?""",
        days_ago=120,
        tags=("wikidata",),
        solution=2,
        replies=(
            Reply(
                "李明 (Wikidata)",
                """Click **add reference** under the statement, then use these properties:

- `stated in` (P248) when the source has its own item, for example a newspaper
- `reference URL` (P854) for the web address
- `retrieved` (P813) with the date you read it
- `title` (P1476) and `publication date` (P577) for the article itself

For an online newspaper article, `reference URL` + `retrieved` + `title` is already good. Please don't use \
Wikipedia as the source: it is not accepted as a reference for facts.""",
                after_hours=3,
                likes=6,
            ),
            Reply(
                "Chidi Okeke",
                "That worked, thank you @李明_(Wikidata)! The warning is gone.",
                quote=(2, "For an online newspaper article, `reference URL` + `retrieved` + `title` is already good."),
            ),
            Reply(
                "प्रिया शर्मा",
                "A tip: if you add many references from the same website, create an item for the website once "
                "and use `stated in`. Then every reference looks the same and is easy to query.",
            ),
        ),
        bookmarks=(("Chidi Okeke", 2, "Reference properties"),),
    ),
    DemoTopic(
        "Comment téléverser plusieurs fichiers à la fois sur Commons ?",
        "ask-here",
        "Léa Martin",
        "fr",
        """Bonjour,

j'ai environ 300 photos d'un festival à Montréal à verser sur Wikimedia Commons. L'assistant de \
téléversement fonctionne, mais c'est long pour autant de fichiers. Existe-t-il un outil pour les envoyer \
en lot, avec des descriptions différentes ?""",
        days_ago=96,
        tags=("commons", "french"),
        solution=2,
        replies=(
            Reply(
                "Françoise Dubois",
                "Bonjour Léa ! Pour un lot de cette taille, regardez **Pattypan** : vous remplissez un tableur "
                "(titre, description, date, catégories) et l'outil envoie tout. Vérifiez d'abord que vous êtes "
                "bien l'autrice de toutes les photos, évidemment.",
                likes=4,
            ),
            Reply(
                "Zoë Müller",
                "Autre option : l'assistant de téléversement permet d'appliquer la même description et les mêmes "
                "catégories à tous les fichiers d'un coup, puis de corriger au cas par cas.",
            ),
            Reply(
                "Léa Martin",
                "Merci, Pattypan était exactement ce qu'il me fallait. 312 fichiers envoyés !",
                quote=(2, "regardez **Pattypan** : vous remplissez un tableur"),
            ),
        ),
        bookmarks=(("Léa Martin", 2, "Pattypan"),),
    ),
    DemoTopic(
        "¿Cómo cito un libro antiguo que no tiene ISBN?",
        "ask-here",
        "José Álvarez",
        "es",
        """Estoy ampliando el artículo sobre la historia de mi pueblo en Jalisco y mi fuente principal es un libro \
de 1932 que no tiene ISBN.

¿Qué datos debo poner en la plantilla de cita? ¿Sirve igual como fuente fiable?""",
        days_ago=64,
        tags=("wikipedia", "spanish"),
        replies=(
            Reply(
                MODERATOR_USERNAME,
                "¡Claro que sirve! El ISBN solo existe desde los años setenta. En `{{cita libro}}` pon autor, "
                "título, editorial, lugar, año y página. Si el libro está digitalizado en alguna biblioteca, "
                "añade también la URL.",
            ),
            Reply(
                "Rosa María Quispe",
                "Y si el libro está en el catálogo de una biblioteca grande, puedes añadir el número OCLC. Así "
                "otras personas pueden encontrar el ejemplar.",
            ),
            Reply("José Álvarez", "Muchas gracias a las dos. @Rosa_María_Quispe, ¿el OCLC se busca en WorldCat?"),
            Reply(
                "Rosa María Quispe",
                "Sí, exacto: busca el título en WorldCat y copia el número que aparece en la ficha.",
                reply_to=4,
            ),
        ),
    ),
    DemoTopic(
        "ويكي مصدر: كيف أبدأ بتدقيق كتاب ممسوح ضوئيًا؟",
        "ask-here",
        "محمد العلي",
        "ar",
        """السلام عليكم،

وجدت في ويكي مصدر كتابًا قديمًا في التاريخ ممسوحًا ضوئيًا، وبعض أرقام صفحاته ملوّنة بالأحمر. ماذا يعني \
ذلك؟ وكيف أبدأ التدقيق دون أن أفسد شيئًا؟""",
        days_ago=81,
        tags=("wikisource", "arabic"),
        solution=2,
        replies=(
            Reply(
                "أميرة حداد",
                "وعليكم السلام! الأرقام الحمراء تعني أن الصفحة لم تُنشأ بعد. اضغط على الرقم، وسيظهر لك النص "
                "المستخرج بالتعرّف الضوئي على الحروف بجانب صورة الصفحة. صحّح الأخطاء ثم احفظ الصفحة بحالة "
                "«مُدقَّقة». بعدها يراجعها مستخدم آخر ويجعلها «مُصادَقًا عليها».",
                likes=5,
            ),
            Reply(
                "محمد العلي",
                "شكرًا جزيلًا! بدأت بالصفحات العشر الأولى. هل يجب أن أحافظ على الأخطاء الإملائية الموجودة في "
                "الكتاب الأصلي؟",
                quote=(2, "بعدها يراجعها مستخدم آخر ويجعلها «مُصادَقًا عليها»."),
            ),
            Reply(
                "أميرة حداد",
                "نعم، ننقل النص كما هو في الأصل، ويمكنك استخدام قالب للتنبيه على الخطأ إذا لزم الأمر.",
                reply_to=3,
            ),
        ),
    ),
    DemoTopic(
        "Как перенести статью из черновика в основное пространство?",
        "ask-here",
        "Дмитрий Соколов",
        "ru",
        """Я написал статью о краеведческом музее нашего города в своём личном пространстве (черновик). \
Как правильно перенести её в основное пространство статей? Боюсь, что её сразу удалят.""",
        days_ago=40,
        tags=("wikipedia", "russian"),
        replies=(
            Reply(
                "Анна Петрова",
                "Используйте вкладку «Переименовать» (в меню «Ещё») и выберите пространство «(Статьи)». Но сначала "
                "проверьте: есть ли независимые источники о музее? Без них статью действительно могут выставить "
                "к удалению.",
            ),
            Reply(
                "Дмитрий Соколов",
                "Источники есть: две статьи в областной газете и упоминание в книге. Этого достаточно?",
            ),
            Reply(
                "Анна Петрова",
                "Думаю, да. Оформите их как сноски, а не просто списком в конце, — так проверяющим будет проще.",
                quote=(3, "Источники есть: две статьи в областной газете и упоминание в книге."),
            ),
        ),
    ),
    DemoTopic(
        "Why was my photo tagged as a possible copyright violation?",
        "ask-here",
        "Fatuma Wanjiru",
        "en",
        """I uploaded a photo of a mural in Nairobi that I took myself last week. Today it has a template saying \
it may be a copyright violation because of "freedom of panorama".

What does that mean, and what should I do?""",
        days_ago=1.5,
        tags=("commons",),
        likes=1,
    ),
    DemoTopic(
        "SPARQL query times out on the Wikidata Query Service",
        "technical-help",
        "Søren Østergaard",
        "en",
        """This query lists Danish people with their date of birth:

```sparql
SELECT ?person ?personLabel ?birth WHERE {
  ?person wdt:P31 wd:Q5 ;
          wdt:P27 wd:Q35 ;
          wdt:P569 ?birth .
  SERVICE wikibase:label { bd:serviceParam wikibase:language "da,en". }
}
```

It runs for a while and then times out after 60 seconds. What am I doing wrong?""",
        days_ago=58,
        tags=("wikidata", "tools"),
        solution=2,
        replies=(
            Reply(
                "李明 (Wikidata)",
                """The query is correct, but it returns a very large number of rows and the label service runs on \
all of them. Two things help:

1. Add a `LIMIT 100` while you test.
2. Narrow it down before labelling, for example one decade at a time:

```sparql
  FILTER(YEAR(?birth) >= 1900 && YEAR(?birth) < 1910)
```""",
                after_hours=5,
                likes=3,
            ),
            Reply("Søren Østergaard", "With one decade at a time every query finishes in a few seconds. Thanks!"),
        ),
        bookmarks=(("Søren Østergaard", 2, ""),),
    ),
    DemoTopic(
        "维基文库的OCR按钮在哪里？",
        "technical-help",
        "王芳",
        "zh",
        "我想在中文维基文库校对一本古籍的扫描页，但是编辑页面上找不到OCR按钮。需要先开启什么设置吗？",
        days_ago=33,
        tags=("wikisource", "chinese", "tools"),
        replies=(
            Reply(
                "李明 (Wikidata)",
                "在“页面”命名空间编辑时，工具栏上应该有OCR按钮。如果没有，请在参数设置的“小工具”里检查是否已启用。"
                "另外，古籍竖排文字的识别效果一般，建议逐字核对。",
            ),
            Reply("王芳", "找到了，谢谢！确实需要一个字一个字地核对。"),
        ),
    ),
    # Community news
    DemoTopic(
        "New user group for Amharic Wikipedia editors",
        "community-news",
        "ሰላም ተስፋዬ",
        "en",
        """We are a group of volunteers in Addis Ababa and in the diaspora who edit Amharic Wikipedia (ውክፔዲያ).

This month we started meeting online every second Saturday to translate articles about health and to \
welcome new editors. If you write in Amharic, Tigrinya or Oromo, join us! We are also looking for mentors \
who have run edit-a-thons with slow internet connections.""",
        days_ago=150,
        tags=("wikipedia", "amharic"),
        likes=9,
        replies=(
            Reply(
                "Kwame Mensah",
                "Congratulations! In Ghana we used Kiwix so participants could read offline and only needed the "
                "connection to save their edits. Happy to share our notes with @ሰላም_ተስፋዬ.",
            ),
            Reply("ሰላም ተስፋዬ", "በጣም አመሰግናለሁ! ማስታወሻዎቻችሁን ለማየት እንፈልጋለን።", reply_to=2),
            Reply("Fatuma Wanjiru", "Hongera! The Swahili community would love to exchange ideas too."),
        ),
    ),
    DemoTopic(
        "Neuer Leitfaden: Bildrechte auf Commons verständlich erklärt",
        "community-news",
        "Zoë Müller",
        "de",
        """Wir haben einen kurzen Leitfaden geschrieben, der die häufigsten Fragen zu Bildrechten beantwortet:

- Was ist Panoramafreiheit?
- Wann darf ich ein Foto von einem Kunstwerk hochladen?
- Welche Lizenz soll ich wählen?

Der Leitfaden ist als Seite auf Commons verfügbar und darf gern übersetzt werden. Feedback ist willkommen!""",
        days_ago=27,
        tags=("commons", "german"),
        likes=7,
        replies=(
            Reply(
                "Søren Østergaard",
                "Very useful! The rules for sculptures differ a lot from country to country, so a table by country "
                "would help.",
            ),
            Reply(
                "Zoë Müller",
                "Gute Idee, eine Tabelle nach Ländern kommt in die nächste Version. Danke!",
                quote=(2, "a table by country would help."),
            ),
            Reply("Fatuma Wanjiru", "This explains the template on my mural photo too. Thank you!"),
        ),
        bookmarks=(("Fatuma Wanjiru", 1, "Freedom of panorama"),),
    ),
    DemoTopic(
        "Maratona de revisão no Wikisource: 4 mil páginas revisadas em um mês",
        "community-news",
        "João Silva",
        "pt",
        """Terminou ontem a nossa maratona de revisão no Wikisource em português. Em um mês, 38 voluntárias e \
voluntários revisaram mais de 4 mil páginas de obras em domínio público, incluindo cartas de Machado de Assis.

Obrigado a todas e todos que participaram! Vamos publicar um relatório com o que aprendemos em \
[Aprendizagem e avaliação](/c/learning-and-evaluation).""",
        days_ago=70,
        tags=("wikisource", "portuguese"),
        likes=11,
        replies=(
            Reply(
                "Mariana Costa",
                "Que orgulho! Participei pela primeira vez e aprendi muito. A dica de revisar primeiro as páginas "
                "com poucas linhas ajudou bastante.",
            ),
            Reply("Ana Lúcia Ferreira", "Parabéns à equipe! Haverá outra maratona no segundo semestre?"),
            Reply(
                "João Silva",
                "Sim, @Ana_Lúcia_Ferreira, estamos pensando em outubro. Vou anunciar aqui em Eventos.",
                reply_to=3,
            ),
        ),
    ),
    DemoTopic(
        "हिंदी विकिपीडिया लेख प्रतियोगिता के परिणाम",
        "community-news",
        "राहुल वर्मा",
        "hi",
        """पिछले महीने हुई लेख लेखन प्रतियोगिता में 120 प्रतिभागियों ने 900 से अधिक नए लेख लिखे। सबसे ज़्यादा लेख \
स्वास्थ्य और स्थानीय इतिहास पर थे।

सभी प्रतिभागियों और निर्णायकों को धन्यवाद!""",
        days_ago=45,
        tags=("wikipedia", "hindi"),
        likes=8,
        replies=(
            Reply("प्रिया शर्मा", "बहुत बढ़िया! अगली बार हम विकिडेटा आइटम जोड़ने पर भी अंक दे सकते हैं।"),
            Reply(
                "राहुल वर्मा",
                "अच्छा सुझाव है, अगली प्रतियोगिता के नियमों में जोड़ेंगे।",
                quote=(2, "अगली बार हम विकिडेटा आइटम जोड़ने पर भी अंक दे सकते हैं।"),
            ),
            Reply("Siddharth R.", "Congratulations! We would love to try the same format on Tamil Wikipedia."),
        ),
    ),
    # Events
    DemoTopic(
        "Online edit-a-thon: women in science",
        "events",
        "Ingrid Johansson",
        "en",
        """Join us for a four-hour online edit-a-thon to improve biographies of women scientists, in any language.

**When:** the last Saturday of the month, 14:00–18:00 UTC\\
**Where:** online; the video call link goes to registered participants\\
**What to bring:** curiosity. We pair every newcomer with an experienced editor.

We have prepared lists of missing articles from Wikidata, sorted by language. Reply here if you want to help \
as a mentor!""",
        days_ago=20,
        tags=("edit-a-thon", "gender-gap", "wikipedia"),
        likes=10,
        replies=(
            Reply(
                "Ελένη Παπαδοπούλου", "I can mentor Greek speakers. We have many missing biographies of Greek chemists."
            ),
            Reply("נועה כהן", "I'll join and work on Hebrew articles."),
            Reply("Ayşe Yılmaz", "Count me in for Turkish!", quote=(1, "sorted by language")),
            Reply("Ingrid Johansson", "Wonderful, thank you all. The lists for Greek, Hebrew and Turkish are ready."),
        ),
    ),
    DemoTopic(
        "Rencontre mensuelle des wikimédiens de Montréal",
        "events",
        "Léa Martin",
        "fr",
        """Comme chaque premier mardi du mois, on se retrouve à la bibliothèque pour contribuer ensemble et \
discuter des projets en cours.

Les débutants sont les bienvenus : apportez un ordinateur portable, on vous aide à créer votre compte. Au \
programme ce mois-ci : les photos du patrimoine pour Commons.""",
        days_ago=12,
        tags=("wikipedia", "commons", "french"),
        replies=(
            Reply(
                "Françoise Dubois",
                "Je ne suis pas à Montréal, mais bravo pour la régularité ! "
                "Vous publiez un compte rendu quelque part ?",
            ),
            Reply("Léa Martin", "Oui, sur notre page de projet, et je mettrai un résumé ici.", reply_to=2),
        ),
    ),
    DemoTopic(
        "Taller de edición en Lima: Wikipedia en quechua",
        "edit-a-thons",
        "Rosa María Quispe",
        "es",
        """El sábado organizamos un taller en la universidad para escribir artículos en la Wikipedia en quechua \
(Runasimi). Vinieron 25 estudiantes, muchos hablantes nativos que nunca habían editado.

Crearon 18 artículos sobre plantas medicinales y fiestas tradicionales. Lo más difícil fue la ortografía: \
hay varias normas en uso.""",
        days_ago=88,
        tags=("wikipedia", "spanish", "edit-a-thon", "education"),
        likes=12,
        replies=(
            Reply("José Álvarez", "¡Qué buena noticia! ¿Cómo resolvieron lo de la ortografía?"),
            Reply(
                "Rosa María Quispe",
                "Acordamos seguir la norma que usa la mayoría de los artículos existentes y dejar una nota en la "
                "página de discusión cuando había dudas.",
                quote=(2, "¿Cómo resolvieron lo de la ortografía?"),
            ),
            Reply(MODERATOR_USERNAME, "Qué bonito proyecto, Rosa. Si quieres, lo destacamos en Community news."),
        ),
    ),
    DemoTopic(
        "Call for session proposals: regional conference",
        "events",
        "Kwame Mensah",
        "en",
        """We are collecting proposals for sessions at the regional conference. Sessions can be:

- talks (20 minutes)
- workshops (60 minutes)
- lightning talks (5 minutes)

in English, French or Portuguese. Reply with a title, a short description and the language you will speak. \
**Deadline: the end of this month.**""",
        days_ago=110,
        tags=("education",),
        closed=True,
        replies=(
            Reply(
                "Oluwaseun Adeyemi",
                "Proposal: *Wikidata for African languages*, workshop, 60 minutes, English. We will add Yoruba "
                "lexemes together.",
            ),
            Reply(
                "Mariana Costa", "Proposta: *Revisão colaborativa no Wikisource*, palestra, 20 minutos, em português."
            ),
            Reply(
                "Françoise Dubois",
                "Proposition : *Transcrire des archives familiales sur Wikisource*, atelier, 60 minutes, en français.",
            ),
            Reply(
                "Kwame Mensah",
                "Thank you all: the call is now closed. The programme committee will answer by email within two weeks.",
                after_hours=400,
            ),
        ),
    ),
    # Learning and evaluation
    DemoTopic(
        "What we learned from twelve edit-a-thons with public libraries",
        "learning-and-evaluation",
        "Ingrid Johansson",
        "en",
        """Over the past year we ran twelve edit-a-thons with public libraries. Here is what worked and what did not.

## What worked

- **Librarians as co-hosts.** They know the local sources and bring their own audience.
- **A short list of articles to improve**, prepared in advance, instead of a blank page.
- **Pairing** every newcomer with an experienced editor for the first hour.

## What did not

- Long introductions. After 20 minutes of slides, people left.
- Creating accounts on the day: the library network often hit the limit of sign-ups from one address. \
Ask people to register the day before.

## Numbers

| | Participants | New editors | Articles improved |
|---|---:|---:|---:|
| Spring | 64 | 41 | 112 |
| Autumn | 85 | 52 | 160 |

Six months later, 9 of the 93 new editors were still editing every month.""",
        days_ago=140,
        tags=("glam", "education", "edit-a-thon"),
        likes=16,
        replies=(
            Reply(
                "Tomasz Kowalski",
                "Same experience in Kraków. We now do a five-minute introduction and show the rest while people edit.",
                quote=(1, "Long introductions. After 20 minutes of slides, people left."),
            ),
            Reply("Emma Wright", "Great write-up. Did you follow up with the new editors after the events?"),
            Reply(
                "Ingrid Johansson",
                "Yes: one email after a week and a personal invitation to the next event. The personal "
                "invitation mattered more than anything else.",
                reply_to=3,
            ),
            Reply("Chen Wei", "Thanks for the table! @Ingrid_Johansson, can we reuse it in our report template?"),
            Reply("Ingrid Johansson", "Of course, everything here is CC BY-SA, like the wikis.", reply_to=5),
        ),
        bookmarks=((MODERATOR_USERNAME, 1, "Share with new organisers"), ("Chen Wei", 1, "")),
    ),
    DemoTopic(
        "Как мы измеряем удержание новых участников",
        "learning-and-evaluation",
        "Анна Петрова",
        "ru",
        """Делюсь нашим подходом. Мы считаем участника «удержанным», если он сделал хотя бы пять правок во втором \
месяце после регистрации.

По итогам трёх образовательных программ удержание составило от 8 до 15 %. Самый сильный фактор — личное \
наставничество.""",
        days_ago=52,
        tags=("wikipedia", "russian", "education"),
        likes=6,
        replies=(
            Reply("Дмитрий Соколов", "А как вы отличаете студентов, которые правят только ради оценки?"),
            Reply(
                "Анна Петрова",
                "Смотрим на правки после окончания курса: если их нет, участник не считается удержанным, даже если "
                "во время курса был очень активен.",
                quote=(2, "А как вы отличаете студентов, которые правят только ради оценки?"),
            ),
        ),
    ),
    DemoTopic(
        "Αξιολόγηση του εκπαιδευτικού προγράμματος στα σχολεία",
        "learning-and-evaluation",
        "Ελένη Παπαδοπούλου",
        "el",
        """Φέτος δουλέψαμε με έξι σχολεία στην Αθήνα και τη Θεσσαλονίκη. Οι μαθητές έγραψαν άρθρα για την τοπική \
ιστορία στη Βικιπαίδεια.

Μοιράζομαι τι μετρήσαμε: πόσα άρθρα δημιουργήθηκαν, πόσα παρέμειναν μετά από έξι μήνες και τι είπαν οι \
εκπαιδευτικοί. Σχόλια και ερωτήσεις ευπρόσδεκτα!""",
        days_ago=30,
        tags=("education", "greek"),
        replies=(
            Reply(
                "נועה כהן",
                "We ran something similar in Haifa. Teachers told us the hardest part was finding sources in the "
                "students' language.",
            ),
            Reply("Ελένη Παπαδοπούλου", "Ακριβώς το ίδιο και εδώ! Thank you, Noa, let's compare notes.", reply_to=2),
        ),
    ),
    DemoTopic(
        "מה למדנו מהשנה הראשונה של תוכנית ויקיפדיה בחינוך",
        "learning-and-evaluation",
        "נועה כהן",
        "he",
        """השנה עבדנו עם ארבעה בתי ספר תיכוניים. התלמידים כתבו ושיפרו ערכים בוויקיפדיה העברית, והמורים ליוו אותם \
בכיתה.

הלקח המרכזי: כדאי להתחיל בשיפור ערכים קיימים ולא בכתיבת ערכים חדשים מאפס.""",
        days_ago=18,
        tags=("education", "hebrew", "wikipedia"),
        replies=(
            Reply("Ayşe Yılmaz", "Very useful lesson. We saw exactly the same with university students in İstanbul."),
            Reply("נועה כהן", "תודה רבה! We will publish the full report next month.", reply_to=2),
        ),
    ),
    # Staff room (private)
    DemoTopic(
        "Moderator rota for the holiday period",
        "staff-room",
        ADMIN_USERNAME,
        "en",
        "Who can cover the forum between the 24th and the 2nd? We need one person a day to check the review queue.",
        days_ago=9,
        replies=(
            Reply("Emma Wright", "I can take the 24th to the 27th."),
            Reply("Kwame Mensah", "I'll cover the 28th to the 2nd. @admin, please add me to the rota page."),
        ),
    ),
    DemoTopic(
        "Draft: announcement for the new community space",
        "staff-room",
        "Emma Wright",
        "en",
        "Here is a draft of the blog post announcing this forum. Please comment before Friday.",
        days_ago=178,
        replies=(
            Reply(ADMIN_USERNAME, "Looks good. Let's say clearly that people can write in any language."),
            Reply("Emma Wright", "Done, and I added a line about marking solutions.", reply_to=2),
        ),
    ),
    # Punjabi (Gurmukhi): a question and an edit-a-thon plan, in the reader's language from the first word.
    DemoTopic(
        "ਗੁਰਮੁਖੀ ਵਿੱਚ ਹਵਾਲੇ ਕਿਵੇਂ ਜੋੜੀਏ?",
        "ask-here",
        "ਗੁਰਮੀਤ ਸਿੰਘ",
        "pa",
        "ਮੈਂ ਪੰਜਾਬੀ ਵਿਕੀਪੀਡੀਆ ਉੱਤੇ ਆਪਣੇ ਪਿੰਡ ਬਾਰੇ ਲੇਖ ਲਿਖ ਰਿਹਾ ਹਾਂ। ਮੇਰੇ ਕੋਲ ਇੱਕ ਪੁਰਾਣੀ ਕਿਤਾਬ ਹੈ ਜਿਸ ਵਿੱਚ ਪਿੰਡ ਦਾ "
        "ਇਤਿਹਾਸ ਹੈ। ਕੀ ਮੈਂ ਉਸ ਕਿਤਾਬ ਦਾ **ਹਵਾਲਾ** ਦੇ ਸਕਦਾ ਹਾਂ, ਅਤੇ ਸਫ਼ਾ ਨੰਬਰ ਕਿੱਥੇ ਲਿਖਾਂ?",
        days_ago=6,
        tags=("wikipedia",),
        replies=(
            Reply(
                "ਹਰਪ੍ਰੀਤ ਕੌਰ",
                "ਹਾਂ ਜੀ, ਛਪੀ ਹੋਈ ਕਿਤਾਬ ਚੰਗਾ ਸਰੋਤ ਹੈ। ਸੰਪਾਦਕ ਵਿੱਚ «ਹਵਾਲਾ» ਬਟਨ ਦਬਾਓ, «ਕਿਤਾਬ» ਚੁਣੋ, ਅਤੇ ਲੇਖਕ, "
                "ਸਿਰਲੇਖ, ਸਾਲ ਅਤੇ ਸਫ਼ਾ ਨੰਬਰ ਭਰੋ। ਜੇ ਕਿਤਾਬ ਦਾ ISBN ਹੈ ਤਾਂ ਉਹ ਵੀ ਲਿਖੋ।",
            ),
            Reply("ਗੁਰਮੀਤ ਸਿੰਘ", "ਬਹੁਤ ਧੰਨਵਾਦ! ਹੋ ਗਿਆ।"),
        ),
        solution=2,
    ),
    DemoTopic(
        "ਪਟਿਆਲੇ ਵਿੱਚ ਔਰਤ ਲੇਖਿਕਾਵਾਂ ਬਾਰੇ ਸੰਪਾਦਨ-ਮੇਲਾ",
        "edit-a-thons",
        "ਹਰਪ੍ਰੀਤ ਕੌਰ",
        "pa",
        "ਅਗਲੇ ਮਹੀਨੇ ਅਸੀਂ ਯੂਨੀਵਰਸਿਟੀ ਦੀ ਲਾਇਬ੍ਰੇਰੀ ਵਿੱਚ ਪੰਜਾਬੀ ਔਰਤ ਲੇਖਿਕਾਵਾਂ ਬਾਰੇ ਲੇਖ ਲਿਖਾਂਗੇ: ਅੰਮ੍ਰਿਤਾ ਪ੍ਰੀਤਮ, "
        "ਦਲੀਪ ਕੌਰ ਟਿਵਾਣਾ, ਅਜੀਤ ਕੌਰ ਅਤੇ ਹੋਰ। ਨਵੇਂ ਸੰਪਾਦਕਾਂ ਦਾ ਖ਼ਾਸ ਸੁਆਗਤ ਹੈ। ਕੌਣ ਮਦਦ ਕਰ ਸਕਦਾ ਹੈ?",
        days_ago=3,
        tags=("edit-a-thon", "gender-gap"),
        replies=(Reply("प्रिया शर्मा", "Great idea! I can help online with Wikidata items for the writers."),),
    ),
    DemoTopic(
        "विकिडेटा पर हिंदी लेबल: हर हफ़्ते एक घंटा",
        "learning-and-evaluation",
        "राहुल वर्मा",
        "hi",
        "पिछले तीन महीनों में हमने हर रविवार एक घंटा विकिडेटा पर हिंदी लेबल जोड़े। नतीजा: बारह हज़ार नए लेबल, और "
        "खोज में हिंदी पाठकों को अब ज़्यादा नतीजे मिलते हैं। क्या दूसरी भाषाओं में भी ऐसा कोई नियमित समय है?",
        days_ago=14,
        tags=("wikidata", "hindi"),
        replies=(Reply("ਹਰਪ੍ਰੀਤ ਕੌਰ", "ਪੰਜਾਬੀ ਵਿੱਚ ਵੀ ਅਸੀਂ ਇਹ ਸ਼ੁਰੂ ਕਰਨਾ ਚਾਹੁੰਦੇ ਹਾਂ। ਕੀ ਤੁਸੀਂ ਆਪਣੀ ਕੁਐਰੀ ਸਾਂਝੀ ਕਰੋਗੇ?"),),
    ),
]


@dataclass(frozen=True)
class DemoGroup:
    name: str
    full_name: str
    description: str
    visibility: str  # public | members | group (hidden)
    members_visibility: str  # public | members | group | owners
    joining: str  # open | ask | invite
    owners: tuple[str, ...]
    members: tuple[str, ...] = ()
    moderators: tuple[str, ...] = ()
    mentionable: str = "group"
    messageable: str = "members"
    pending: tuple[tuple[str, str], ...] = ()  # (username, message) asking to join
    welcome: str = ""  # the title of a topic in the group's category, pinned on the group page


GROUPS: list[DemoGroup] = [
    DemoGroup(
        "wiki-loves-monuments",
        "Wiki Loves Monuments organisers",
        "National organisers of **Wiki Loves Monuments**, the world's largest photo contest. Anyone may join: "
        "say hello in the [category](/c/wiki-loves-monuments) and tell us which country you photograph.",
        "public",
        "public",
        "open",
        owners=("Ingrid Johansson",),
        members=("Zoë Müller", "Rosa María Quispe", "Chidi Okeke", "王芳", "Siddharth R."),
        moderators=("Zoë Müller",),
        mentionable="members",
        welcome="Welcome, organisers! Start here",
    ),
    DemoGroup(
        "editorial-board",
        "Editorial board",
        "Volunteers who help stories reach readers: they review submitted news, suggest changes and schedule "
        "publication. Ask to join and tell us which languages you edit in.",
        "public",
        "members",
        "ask",
        owners=("Emma Wright",),
        members=("Françoise Dubois", "Анна Петрова", "נועה כהן"),
        pending=(("Léa Martin", "Je peux relire les articles en français et en anglais."),),
    ),
    DemoGroup(
        "affcom",
        "Affiliations Committee",
        "Advises on the recognition of chapters, thematic organisations and user groups. Members are appointed.",
        "members",
        "group",
        "invite",
        owners=("Kwame Mensah",),
        members=("أميرة حداد", "प्रिया शर्मा", "João Silva"),
    ),
    DemoGroup(
        "trust-and-safety",
        "Trust and safety volunteers",
        "Handles reports of harassment under the code of conduct. This group is hidden.",
        "group",
        "owners",
        "invite",
        owners=(ADMIN_USERNAME,),
        members=(MODERATOR_USERNAME, "Ελένη Παπαδοπούλου"),
        mentionable="nobody",
        messageable="nobody",
    ),
]

GROUP_TOPICS: list[DemoTopic] = [
    DemoTopic(
        "Welcome, organisers! Start here",
        "wiki-loves-monuments",
        "Ingrid Johansson",
        "en",
        "This is the space of the national organisers. Introduce yourself, and use the tag #commons for upload "
        "questions. The jury guidelines are pinned below.",
        days_ago=40,
        tags=("commons",),
        replies=(
            Reply("Zoë Müller", "Hallo! Germany again this year, with 400 new monuments on the list."),
            Reply("Rosa María Quispe", "¡Hola! Perú participa por tercera vez. Necesitamos jurados."),
        ),
    ),
    DemoTopic(
        "Review of the application from the Andean user group",
        "affcom-room",
        "Kwame Mensah",
        "en",
        "The application is complete. Please read it before Thursday's call and note any questions here.",
        days_ago=6,
        replies=(Reply("João Silva", "Read it. Their activity report is strong; the bylaws need one fix."),),
    ),
    DemoTopic(
        "Case 2026-17: repeated personal attacks in a language channel",
        "trust-and-safety-room",
        ADMIN_USERNAME,
        "en",
        "Three reports this week about the same account. Summary and links to the evidence below.",
        days_ago=3,
        replies=(Reply(MODERATOR_USERNAME, "I have contacted the person; waiting for an answer."),),
    ),
]


@dataclass(frozen=True)
class DemoMessage:
    title: str
    sender: str
    raw: str
    to: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    anonymous: bool = False
    replies: tuple[Reply, ...] = ()


MESSAGES: list[DemoMessage] = [
    DemoMessage(
        "Photos for the Lima exhibition",
        "Rosa María Quispe",
        "Hola Zoë, could we borrow three of the German winning photos for our exhibition in Lima? "
        "We would credit the photographers, of course.",
        to=("Zoë Müller",),
        replies=(Reply("Zoë Müller", "Of course! I'll send you the files and the licence details tomorrow."),),
    ),
    DemoMessage(
        "Someone keeps messaging me about my edits",
        "Ana Lúcia Ferreira",
        "A user keeps sending me private messages about my articles, several a day, in an aggressive tone. "
        "I don't want them to know I reported this.",
        groups=("moderators",),
        anonymous=True,
        replies=(
            Reply(
                MODERATOR_USERNAME,
                "Thank you for telling us. We'll look at it without naming you. Can you tell us the account's name?",
            ),
        ),
    ),
    DemoMessage(
        "Question about joining AffCom",
        "Ingrid Johansson",
        "Hello AffCom, how are new members chosen? I'd like to help with reviews next year.",
        groups=("affcom",),
    ),
]


# --- The blog ----------------------------------------------------------------------------------------
# Sections, a newsletter, and stories in every editorial state, written through agora.blog.services.
# Stories are keyed by title. Covers are drawn at seed time (agora.core.demo_covers) from a scene name.

BLOG_CATEGORIES: list[dict] = [
    {"slug": "community", "name": "Community", "description": "The people of the movement, their projects and places."},
    {"slug": "technology", "name": "Technology", "description": "Tools, data and the software behind the wikis."},
    {"slug": "events", "name": "Events", "description": "Reports from meet-ups, edit-a-thons and conferences."},
    {"slug": "education", "name": "Education", "description": "Wikis in classrooms, libraries and universities."},
    {"slug": "culture", "name": "Culture and heritage", "description": "GLAM partners, photo contests, archives."},
]  # fmt: skip

SERIES: list[dict] = [
    {
        "slug": "movement-monthly",
        "name": "Movement Monthly",
        "description": "Once a month, what happened across the movement: milestones, events, tools and people.",
    },
]

# The editorial board in GROUPS above: the seed fills the group AGORA_EDITORIAL_GROUP names (the blog's
# migration makes it empty) with its members. EDITOR edits the stories that name nobody else.
EDITORIAL_BOARD = "editorial-board"
EDITOR = "Emma Wright"


@dataclass(frozen=True)
class DemoStory:
    title: str
    authors: tuple[str, ...]
    language: str
    kind: str  # agora.blog.models.Story.Kind
    lead: str
    body: str
    # published, draft, submitted, in_review, changes_requested, scheduled or declined
    state: str = "published"
    days_ago: float = 0  # when it was published (or, before publication, last handed to the editors)
    editor: str = EDITOR  # who claims, reviews, schedules, publishes or declines it
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    series: str = ""
    featured: bool = False
    translation_of: str = ""  # the title of the original
    cover: str = ""  # a scene for agora.core.demo_covers; empty: no cover
    cover_credit: str = ""
    note_to_editors: str = ""
    editorial_comments: tuple[tuple[str, str], ...] = ()  # (username, text)
    reason: str = ""  # why changes were requested, or why it was declined
    comments: tuple[Reply, ...] = ()  # replies in its discussion topic
    scheduled_in_days: float = 0


CC_BY_SA = "CC BY-SA 4.0"

STORIES: list[DemoStory] = [
    DemoStory(
        "Wiki Loves Monuments calls for national organisers",
        ("Ingrid Johansson",),
        "en",
        "announcement",
        "The world's largest photo contest of cultural heritage opens its call for national teams. Here is what "
        "organising one takes, and where to find help.",
        "Every September, thousands of people photograph the monuments of their country and share the pictures "
        "on **Wikimedia Commons** under a free licence. Each country's contest is run by a small team of "
        "volunteers: this is the call for those teams.\n\n"
        "## What a national team does\n\n"
        "- prepares the **list of monuments**, usually from the heritage register, on Wikidata;\n"
        "- recruits a **jury** of photographers and heritage experts;\n"
        "- spreads the word: schools, photo clubs, local press;\n"
        "- picks ten winners who go on to the international round.\n\n"
        "## Help is at hand\n\n"
        "Experienced organisers from more than forty countries meet in the "
        "[Wiki Loves Monuments category](/c/wiki-loves-monuments). Join the "
        "[organisers' group](/g/wiki-loves-monuments), say which country you would like to organise, and someone "
        "will get back to you within the week.\n\n"
        "> The best part is the day the photos start arriving. Some people discover a chapel they walked past "
        "every day of their lives. — *Zoë, organiser in Germany*\n\n"
        "Registrations close six weeks before the contest month.",
        days_ago=12,
        categories=("culture", "events"),
        tags=("commons", "glam"),
        featured=True,
        cover="mountains",
        cover_credit="Ingrid Johansson",
        comments=(
            Reply("Siddharth R.", "India is in again! We are already updating the list for Tamil Nadu."),
            Reply("Rosa María Quispe", "Perú también. ¿Alguien sabe si se puede cambiar la fecha de cierre?"),
            Reply("Ingrid Johansson", "Yes, a country may close a week later; just say so when you register."),
        ),
    ),
    DemoStory(
        "Wiki Loves Monuments abre la convocatoria para equipos nacionales",
        ("Rosa María Quispe",),
        "es",
        "announcement",
        "El mayor concurso fotográfico del patrimonio cultural busca equipos nacionales. Esto es lo que implica "
        "organizar uno, y dónde encontrar ayuda.",
        "Cada septiembre, miles de personas fotografían los monumentos de su país y comparten las imágenes en "
        "**Wikimedia Commons** con una licencia libre. El concurso de cada país lo organiza un pequeño equipo de "
        "voluntarios: esta es la convocatoria para esos equipos.\n\n"
        "## Qué hace un equipo nacional\n\n"
        "- prepara la **lista de monumentos**, normalmente a partir del registro de patrimonio, en Wikidata;\n"
        "- reúne un **jurado** de fotógrafos y especialistas en patrimonio;\n"
        "- difunde el concurso: escuelas, clubes de fotografía, prensa local;\n"
        "- elige diez ganadoras que pasan a la ronda internacional.\n\n"
        "## Ayuda a mano\n\n"
        "Organizadores con experiencia se reúnen en la "
        "[categoría Wiki Loves Monuments](/c/wiki-loves-monuments). Únete al "
        "[grupo de organizadores](/g/wiki-loves-monuments) y cuéntanos qué país quieres organizar.\n\n"
        "Las inscripciones cierran seis semanas antes del mes del concurso.",
        days_ago=11,
        categories=("culture", "events"),
        tags=("commons", "spanish"),
        translation_of="Wiki Loves Monuments calls for national organisers",
        cover="mountains",
        cover_credit="Ingrid Johansson",
    ),
    DemoStory(
        "Wiki Loves Monuments : appel aux équipes nationales",
        ("Françoise Dubois",),
        "fr",
        "announcement",
        "Le plus grand concours photo du patrimoine culturel cherche ses équipes nationales. Voici ce que "
        "demande l'organisation d'un concours, et où trouver de l'aide.",
        "Chaque mois de septembre, des milliers de personnes photographient les monuments de leur pays et "
        "partagent leurs images sur **Wikimedia Commons** sous licence libre. Dans chaque pays, le concours est "
        "organisé par une petite équipe de bénévoles : voici l'appel à ces équipes.\n\n"
        "## Le rôle d'une équipe nationale\n\n"
        "- préparer la **liste des monuments**, en général à partir de l'inventaire du patrimoine, sur Wikidata ;\n"
        "- réunir un **jury** de photographes et de spécialistes du patrimoine ;\n"
        "- faire connaître le concours : écoles, clubs photo, presse locale ;\n"
        "- choisir dix lauréates qui participent à la finale internationale.\n\n"
        "Rejoignez le [groupe des organisateurs](/g/wiki-loves-monuments) pour en parler. Les inscriptions "
        "ferment six semaines avant le mois du concours.",
        days_ago=10,
        categories=("culture", "events"),
        tags=("commons", "french"),
        translation_of="Wiki Loves Monuments calls for national organisers",
        cover="mountains",
        cover_credit="Ingrid Johansson",
        comments=(Reply("Léa Martin", "Le Québec sera de la partie cette année, avec les églises de Montréal !"),),
    ),
    DemoStory(
        "Report: two days of Wikidata in Accra",
        ("Kwame Mensah",),
        "en",
        "event_report",
        "Thirty-two editors from five countries spent a weekend modelling Ghana's libraries, rivers and "
        "languages on Wikidata. What we did, what we learnt, and the queries to see the results.",
        "The workshop took place at a university library in Accra, with a generator ready for the power cuts "
        "that never came. Most participants had edited Wikipedia before; few had touched Wikidata.\n\n"
        "## Day one: from lists to items\n\n"
        "We started from a spreadsheet of the country's public libraries. By lunch every library had an item, "
        "with its coordinates, its district and its opening year where we had a source. In the afternoon the "
        "Twi and Ewe speakers added **labels** in their languages, so the items now read naturally for them.\n\n"
        "## Day two: queries and maps\n\n"
        "Li Ming joined us online to walk through SPARQL. The favourite moment: the map of libraries appearing "
        "on the screen, dot after dot, from our own edits.\n\n"
        "```sparql\nSELECT ?library ?libraryLabel ?coords WHERE {\n  ?library wdt:P31 wd:Q28564; wdt:P17 wd:Q117; "
        'wdt:P625 ?coords.\n  SERVICE wikibase:label { bd:serviceParam wikibase:language "tw,ee,en". }\n}\n```\n\n'
        "## In numbers\n\n"
        "| | |\n|---|---|\n| participants | 32 |\n| items created | 214 |\n| labels added | 1,380 |\n"
        "| languages | 6 |\n\n"
        "Thanks to everyone who came, and to the library's staff for the tea.",
        days_ago=26,
        categories=("events", "technology"),
        tags=("wikidata", "edit-a-thon"),
        cover="savanna",
        cover_credit="Kwame Mensah",
        comments=(
            Reply("李明 (Wikidata)", "It was a pleasure! The query service logs show people still running that map."),
            Reply("Chidi Okeke", "Can we do the same in Enugu? I can find a venue."),
            Reply("Kwame Mensah", "@Chidi_Okeke yes! Start a topic in Events and we'll plan it together."),
        ),
    ),
    DemoStory(
        "Ten questions for a Wikisource proofreader",
        ("Emma Wright",),
        "en",
        "interview",
        "Françoise Dubois has proofread nineteenth-century novels on French Wikisource for eleven years. We asked "
        "her why, and how.",
        "**How did you start?**\n\n"
        "With a page of Balzac that had an obvious error in it. I fixed it, then the next page, and I never "
        "stopped.\n\n"
        "**What does proofreading mean on Wikisource?**\n\n"
        "A scanned page sits beside its text. You read both, line by line, and correct what the character "
        "recognition got wrong. A second person validates the page.\n\n"
        "**How long does a novel take?**\n\n"
        "Alone, months. With three or four people, a few weeks. We organise monthly challenges so that we "
        "finish books together.\n\n"
        "**What would you say to someone who wants to try?**\n\n"
        "Pick a book you love. You will read it more closely than ever before, and when it is done, anyone in the "
        "world can read it for free, forever.\n\n"
        "*The interview was edited for length.*",
        days_ago=40,
        categories=("community",),
        tags=("wikisource", "french"),
        cover="library",
        cover_credit="Emma Wright",
        comments=(
            Reply("João Silva", "Lovely interview. We do the same monthly challenges on Portuguese Wikisource."),
        ),
    ),
    DemoStory(
        "Community profile: the Quechua Wikipedia editors of Lima",
        ("Rosa María Quispe",),
        "en",
        "community_profile",
        "Every Saturday morning, a dozen students meet in a university computer room to write Wikipedia in "
        "Quechua, the language of their grandparents.",
        "Runa Simi is spoken by millions of people across the Andes, yet it has few pages on the web. The group "
        "started in 2019 with three people; today it runs a workshop each week during term.\n\n"
        "## How the workshops work\n\n"
        "Each session has a theme: potatoes, rivers, festivals, football. Students pick an article, write it in "
        "Quechua with the help of a dictionary and of each other, and read it aloud before publishing.\n\n"
        "## What is next\n\n"
        "The group is recording **pronunciations** of common words for Wiktionary, and wants to partner with "
        "a radio station in Cusco. If you speak Quechua and want to mentor online, write to Rosa María.",
        days_ago=55,
        categories=("community", "education"),
        tags=("wikipedia", "education"),
        cover="andes",
        cover_credit="Rosa María Quispe",
    ),
    DemoStory(
        "Movement Monthly #6: photo contests, new tools and a farewell",
        ("Emma Wright", "Kwame Mensah"),
        "en",
        "newsletter",
        "This month: the photo contest season opens, a new way to find articles that need sources, and thanks "
        "to a long-time organiser.",
        "## Milestones\n\n"
        "- The Amharic Wikipedia community held its first online edit-a-thon for women scientists.\n"
        "- Hindi Wikisource finished proofreading its hundredth book this year.\n\n"
        "## Events\n\n"
        "- [Two days of Wikidata in Accra](/blog/report-two-days-of-wikidata-in-accra): the report is out.\n"
        "- Wiki Loves Monuments opens its call for national teams.\n\n"
        "## Tools\n\n"
        "A new list on the *Citation needed* hunt page groups articles by topic, so that you can fix the ones "
        "you know about.\n\n"
        "## Thank you\n\n"
        "After eight years running the edit-a-thons in Aarhus, Søren hands over to a new team. Thank you, Søren!\n\n"
        "*Movement Monthly is written by volunteers. Send your news through the editorial board.*",
        days_ago=20,
        categories=("community",),
        series="movement-monthly",
        cover="sea",
        cover_credit="Emma Wright",
        comments=(Reply("Søren Østergaard", "Thank you all. I'll still come to the edit-a-thons, as a guest!"),),
    ),
    DemoStory(
        "Movement Monthly #5: a season of edit-a-thons",
        ("Emma Wright",),
        "en",
        "newsletter",
        "Forty edit-a-thons on four continents, a new guide for teachers, and the tools you asked for.",
        "## Events\n\n"
        "Forty edit-a-thons took place in the last three months, from Montréal to Chennai. The busiest topic: women in "
        "science, followed by local history.\n\n"
        "## Education\n\n"
        "The new **guide for teachers** explains how to run a Wikipedia assignment in one term, with example "
        "rubrics in five languages.\n\n"
        "## Tools\n\n"
        "The upload form now remembers the licence you chose last time.",
        days_ago=50,
        categories=("community", "education"),
        tags=("edit-a-thon", "education"),
        series="movement-monthly",
        cover="snow",
        cover_credit="Emma Wright",
    ),
    DemoStory(
        "ورشة تحرير للطالبات في عمّان: خمسون مقالة في يوم واحد",
        ("أميرة حداد",),
        "ar",
        "event_report",
        "اجتمعت أربعون طالبة في مكتبة الجامعة لكتابة مقالات عن عالمات عربيات في ويكيبيديا العربية.",
        "بدأنا الورشة بجلسة قصيرة عن أساسيات التحرير: كيف نكتب مقدمة محايدة، وكيف نضيف **المراجع**. ثم توزعت "
        "الطالبات في مجموعات صغيرة، واختارت كل مجموعة قائمة من العالمات والباحثات.\n\n"
        "## النتائج\n\n"
        "- خمسون مقالة جديدة، وثلاثون مقالة موسّعة؛\n"
        "- مئة وعشرون صورة رُفعت إلى ويكيميديا كومنز؛\n"
        "- عشر طالبات قررن الاستمرار في التحرير كل أسبوع.\n\n"
        "شكرًا لمكتبة الجامعة على استضافتنا، ولكل من ساعد في المراجعة. الورشة القادمة في الشهر المقبل، "
        "وموضوعها التاريخ المحلي.",
        days_ago=33,
        categories=("events", "education"),
        tags=("arabic", "gender-gap", "edit-a-thon"),
        cover="desert",
        cover_credit="أميرة حداد",
        comments=(
            Reply("محمد العلي", "عمل رائع! هل يمكن تنظيم ورشة مماثلة في الرياض؟"),
            Reply("أميرة حداد", "بكل سرور، لنتحدث في قسم الفعاليات."),
        ),
    ),
    DemoStory(
        "हिंदी विकिस्रोत: प्रूफ़रीडिंग अभियान के नतीजे",
        ("प्रिया शर्मा", "राहुल वर्मा"),
        "hi",
        "project_update",
        "तीन महीने के अभियान में सत्तर स्वयंसेवकों ने प्रेमचंद की कहानियों के बारह संग्रहों का प्रूफ़रीडिंग पूरा किया।",
        "अभियान का लक्ष्य सरल था: स्कैन किए गए पन्नों को पढ़ना और टेक्स्ट की गलतियाँ सुधारना, ताकि पूरी किताबें "
        "सबके लिए मुफ़्त उपलब्ध हों।\n\n"
        "## क्या हासिल हुआ\n\n"
        "- बारह कहानी-संग्रह पूरी तरह प्रमाणित;\n"
        "- नौ हज़ार से अधिक पन्नों का प्रूफ़रीडिंग;\n"
        "- पहली बार योगदान करने वाले पच्चीस नए स्वयंसेवक।\n\n"
        "## आगे क्या\n\n"
        "अगला अभियान हिंदी कविता पर होगा। अगर आप मदद करना चाहते हैं, तो **Ask here** श्रेणी में अपना परिचय दें।",
        days_ago=64,
        categories=("technology", "culture"),
        tags=("hindi", "wikisource"),
        cover="dunes",
        cover_credit="प्रिया शर्मा",
        comments=(Reply("Siddharth R.", "Congratulations! Tamil Wikisource would love to learn from your workflow."),),
    ),
    DemoStory(
        "東京の大学でウィキペディアの授業を始めました",
        ("田中さくら",),
        "ja",
        "community_profile",
        "学生たちが一学期をかけて、地元の歴史についての記事を日本語版ウィキペディアに書きました。",
        "授業の目的は、出典を調べて中立的な文章を書く力を身につけることです。学生は二人一組で、まだ記事のない"
        "地元の商店街や神社、川について調べました。\n\n"
        "## 学生の声\n\n"
        "> 自分の書いた記事を、知らない人が読んで直してくれたのが一番うれしかったです。\n\n"
        "## 成果\n\n"
        "- 新しい記事:十八本\n"
        "- 加筆した記事:二十五本\n"
        "- ウィキメディア・コモンズにアップロードした写真:六十枚\n\n"
        "来学期は、図書館と協力して古い写真のデジタル化にも取り組む予定です。",
        days_ago=78,
        categories=("education",),
        tags=("education", "japanese"),
        cover="blossom",
        cover_credit="田中さくら",
    ),
    # --- stories the readers do not see yet (or ever) ---
    DemoStory(
        "What the new upload form changes for photographers",
        ("Zoë Müller",),
        "en",
        "project_update",
        "The upload form remembers your licence, checks for duplicates before you wait, and speaks more languages.",
        "Notes so far:\n\n- remembers the licence\n- duplicate check\n- translations\n\n(Screenshots to come.)",
        state="draft",
        categories=("technology",),
        tags=("commons", "tools"),
    ),
    DemoStory(
        "Wikisource em português: 500 livros revisados",
        ("João Silva",),
        "pt",
        "project_update",
        "A comunidade do Wikisource em português chegou aos quinhentos livros revisados e validados.",
        "Há dez anos, o Wikisource em português tinha poucas dezenas de livros completos. Hoje são quinhentos, "
        "do **Machado de Assis** aos relatos de viagem do século XIX.\n\n"
        "Agradecemos a todos os voluntários que revisaram uma página, ou mil.",
        state="submitted",
        days_ago=2,
        categories=("culture",),
        tags=("wikisource", "portuguese"),
        note_to_editors="Tenho fotos da comemoração, se quiserem uma capa.",
    ),
    DemoStory(
        "Как мы провели марафон статей о женщинах-учёных",
        ("Дмитрий Соколов",),
        "ru",
        "event_report",
        "За месяц участники марафона написали сто двадцать статей о женщинах в науке.",
        "Марафон проходил онлайн весь март. Каждый участник выбирал учёных из общего списка и писал о них "
        "статью с **источниками**.\n\n"
        "Больше всего статей появилось о химиках и астрономах.",
        state="in_review",
        days_ago=4,
        editor="Анна Петрова",
        categories=("community",),
        tags=("russian", "gender-gap"),
        editorial_comments=(
            ("Анна Петрова", "Хороший текст! Можно добавить пару имён и ссылку на список статей?"),
            ("Дмитрий Соколов", "Да, добавлю сегодня вечером."),
        ),
    ),
    DemoStory(
        "Our partnership with the Kraków city library",
        ("Tomasz Kowalski",),
        "en",
        "project_update",
        "The city library is opening its collection of old postcards to Wikimedia Commons.",
        "The library holds thousands of postcards of Kraków from 1890 to 1950. Together we will scan them, "
        "describe them on Wikidata and upload them to Commons.",
        state="changes_requested",
        days_ago=6,
        editor="Françoise Dubois",
        categories=("culture",),
        tags=("glam", "commons"),
        reason="A lovely project! Please say how many postcards are in the first batch, when they will be online, "
        "and add one postcard as the cover with its licence.",
        editorial_comments=(("Françoise Dubois", "I can help with the Wikidata part of the text if you like."),),
    ),
    DemoStory(
        "Movement Monthly #7: the season of photo contests",
        ("Emma Wright",),
        "en",
        "newsletter",
        "National teams are forming for Wiki Loves Monuments, the Quechua workshops are back, and Accra's "
        "libraries are on the map.",
        "## Milestones\n\n"
        "- Portuguese Wikisource reached five hundred proofread books.\n\n"
        "## Events\n\n"
        "- The Quechua workshops in Lima start again on Saturday mornings.\n"
        "- Wiki Loves Monuments: national teams, register now.\n\n"
        "## People\n\n"
        "Welcome to the new members of the editorial board!",
        state="scheduled",
        days_ago=1,
        scheduled_in_days=7,
        categories=("community",),
        series="movement-monthly",
        cover="sea",
        cover_credit="Emma Wright",
    ),
    DemoStory(
        "Another report on the Accra Wikidata workshop",
        ("Chidi Okeke",),
        "en",
        "event_report",
        "My notes from the weekend in Accra.",
        "I attended the Wikidata workshop in Accra and want to share my notes and photos.",
        state="declined",
        days_ago=15,
        editor="Emma Wright",
        categories=("events",),
        tags=("wikidata",),
        reason="We published Kwame's report of the same workshop two weeks ago. Add your photos and notes as a "
        "comment on it: readers will find them there.",
    ),
    # The Wiki Loves Monuments call in Arabic and Hindi too, linked to the English original.
    DemoStory(
        "ويكي تهوى المعالم تدعو الفرق الوطنية للتنظيم",
        ("أميرة حداد",),
        "ar",
        "announcement",
        "أكبر مسابقة تصوير للتراث الثقافي في العالم تفتح باب التسجيل للفرق الوطنية. إليكم ما يتطلبه تنظيم "
        "المسابقة في بلدكم، وأين تجدون المساعدة.",
        "في كل شهر سبتمبر، يصوّر آلاف الناس معالم بلدانهم وينشرون صورهم على **ويكيميديا كومنز** برخصة حرة. "
        "ينظّم المسابقة في كل بلد فريق صغير من المتطوعين، وهذه دعوة لتلك الفرق.\n\n"
        "## ماذا يفعل الفريق الوطني؟\n\n"
        "- يُعدّ **قائمة المعالم**، غالبًا من سجل التراث الرسمي، على ويكي بيانات؛\n"
        "- يجمع **لجنة تحكيم** من المصورين والمختصين في التراث؛\n"
        "- ينشر الخبر في المدارس ونوادي التصوير والصحافة المحلية؛\n"
        "- يختار عشر صور فائزة تنتقل إلى الجولة الدولية.\n\n"
        "## المساعدة في متناول اليد\n\n"
        "يلتقي منظمون من أكثر من أربعين بلدًا في [قسم ويكي تهوى المعالم](/c/wiki-loves-monuments). انضموا إلى "
        "[مجموعة المنظمين](/g/wiki-loves-monuments) وأخبرونا عن البلد الذي تودّون تنظيم المسابقة فيه.\n\n"
        "يُغلق التسجيل قبل ستة أسابيع من شهر المسابقة.",
        days_ago=9,
        categories=("culture", "events"),
        tags=("commons", "arabic"),
        translation_of="Wiki Loves Monuments calls for national organisers",
        cover="mountains",
        cover_credit="Ingrid Johansson",
        comments=(Reply("محمد العلي", "سنشارك من السعودية هذا العام إن شاء الله، ونحتاج إلى محكّمين."),),
    ),
    DemoStory(
        "विकी लव्स मॉन्यूमेंट्स: राष्ट्रीय आयोजक टीमों के लिए आमंत्रण",
        ("प्रिया शर्मा",),
        "hi",
        "announcement",
        "सांस्कृतिक धरोहर की दुनिया की सबसे बड़ी फ़ोटो प्रतियोगिता राष्ट्रीय टीमों को आमंत्रित कर रही है। "
        "जानिए आयोजन में क्या लगता है, और मदद कहाँ मिलेगी।",
        "हर साल सितंबर में हज़ारों लोग अपने देश के स्मारकों की तस्वीरें खींचते हैं और उन्हें मुक्त लाइसेंस के "
        "साथ **विकिमीडिया कॉमन्स** पर साझा करते हैं। हर देश की प्रतियोगिता स्वयंसेवकों की एक छोटी टीम चलाती है: "
        "यह आमंत्रण उन्हीं टीमों के लिए है।\n\n"
        "## राष्ट्रीय टीम क्या करती है\n\n"
        "- विकिडेटा पर **स्मारकों की सूची** तैयार करती है, अक्सर धरोहर रजिस्टर से;\n"
        "- फ़ोटोग्राफ़रों और धरोहर विशेषज्ञों की **जूरी** बनाती है;\n"
        "- स्कूलों, फ़ोटो क्लबों और स्थानीय अख़बारों तक बात पहुँचाती है;\n"
        "- दस विजेता तस्वीरें चुनती है जो अंतरराष्ट्रीय दौर में जाती हैं।\n\n"
        "अनुभवी आयोजक [विकी लव्स मॉन्यूमेंट्स श्रेणी](/c/wiki-loves-monuments) में मिलते हैं। "
        "[आयोजकों के समूह](/g/wiki-loves-monuments) से जुड़िए और बताइए कि आप किस देश में आयोजन करना चाहते हैं। "
        "पंजीकरण प्रतियोगिता के महीने से छह हफ़्ते पहले बंद हो जाता है।",
        days_ago=8,
        categories=("culture", "events"),
        tags=("commons", "hindi"),
        translation_of="Wiki Loves Monuments calls for national organisers",
        cover="mountains",
        cover_credit="Ingrid Johansson",
    ),
    # A Punjabi original, and its English translation.
    DemoStory(
        "ਪਿੰਡਾਂ ਦੀਆਂ ਲਾਇਬ੍ਰੇਰੀਆਂ ਵਿੱਚ ਪੰਜਾਬੀ ਵਿਕੀਪੀਡੀਆ",
        ("ਹਰਪ੍ਰੀਤ ਕੌਰ",),
        "pa",
        "project_update",
        "ਛੇ ਮਹੀਨਿਆਂ ਵਿੱਚ ਪਟਿਆਲਾ ਜ਼ਿਲ੍ਹੇ ਦੇ ਬਾਰਾਂ ਪਿੰਡਾਂ ਦੀਆਂ ਲਾਇਬ੍ਰੇਰੀਆਂ ਵਿੱਚ ਸੰਪਾਦਨ ਵਰਕਸ਼ਾਪਾਂ ਹੋਈਆਂ। "
        "ਸੱਠ ਨਵੇਂ ਸੰਪਾਦਕਾਂ ਨੇ ਆਪਣੇ ਪਿੰਡਾਂ, ਮੇਲਿਆਂ ਅਤੇ ਲੋਕ-ਗੀਤਾਂ ਬਾਰੇ ਲਿਖਿਆ।",
        "ਬਹੁਤੇ ਪਿੰਡਾਂ ਵਿੱਚ ਲਾਇਬ੍ਰੇਰੀ ਹੀ ਇੱਕੋ ਥਾਂ ਹੈ ਜਿੱਥੇ ਕੰਪਿਊਟਰ ਅਤੇ ਇੰਟਰਨੈੱਟ ਹੈ। ਇਸ ਲਈ ਅਸੀਂ ਉੱਥੇ ਹੀ ਗਏ: "
        "ਹਰ ਸ਼ਨੀਵਾਰ ਇੱਕ ਪਿੰਡ, ਦੋ ਘੰਟੇ ਦੀ ਵਰਕਸ਼ਾਪ, ਅਤੇ ਚਾਹ।\n\n"
        "## ਕੀ ਲਿਖਿਆ ਗਿਆ\n\n"
        "- ਬਾਰਾਂ ਪਿੰਡਾਂ ਦੇ ਲੇਖ, ਉਨ੍ਹਾਂ ਦੇ ਇਤਿਹਾਸ ਅਤੇ ਗੁਰਦੁਆਰਿਆਂ ਸਮੇਤ;\n"
        "- ਪੰਜ ਪੇਂਡੂ ਮੇਲਿਆਂ ਅਤੇ ਤੀਹ ਲੋਕ-ਗੀਤਾਂ ਬਾਰੇ ਨਵੇਂ ਲੇਖ;\n"
        "- ਵਿਕੀਮੀਡੀਆ ਕਾਮਨਜ਼ ਉੱਤੇ ਚਾਰ ਸੌ ਤਸਵੀਰਾਂ।\n\n"
        "## ਜੋ ਅਸੀਂ ਸਿੱਖਿਆ\n\n"
        "ਬਜ਼ੁਰਗਾਂ ਕੋਲ ਸਭ ਤੋਂ ਵੱਧ ਜਾਣਕਾਰੀ ਹੈ, ਪਰ ਛਪੇ ਸਰੋਤ ਘੱਟ ਹਨ। ਇਸ ਲਈ ਅਸੀਂ ਪਿੰਡਾਂ ਦੀਆਂ ਪੁਰਾਣੀਆਂ ਕਿਤਾਬਾਂ ਅਤੇ "
        "ਗਜ਼ਟੀਅਰਾਂ ਦੀ ਸੂਚੀ ਬਣਾਈ, ਜੋ ਹੁਣ ਸਭ ਲਈ ਵਿਕੀਸਰੋਤ ਉੱਤੇ ਹੈ।\n\n"
        "ਅਗਲੇ ਸਾਲ ਅਸੀਂ ਸੰਗਰੂਰ ਅਤੇ ਬਠਿੰਡਾ ਜਾਵਾਂਗੇ। ਜੇ ਤੁਹਾਡੇ ਪਿੰਡ ਵਿੱਚ ਲਾਇਬ੍ਰੇਰੀ ਹੈ, ਤਾਂ ਸਾਨੂੰ ਦੱਸੋ!",
        days_ago=20,
        categories=("community", "education"),
        tags=("wikipedia", "education"),
        cover="library",
        cover_credit="ਹਰਪ੍ਰੀਤ ਕੌਰ",
        comments=(
            Reply("ਗੁਰਮੀਤ ਸਿੰਘ", "ਸਾਡੇ ਪਿੰਡ ਦੀ ਲਾਇਬ੍ਰੇਰੀ ਵਿੱਚ ਵੀ ਆਓ ਜੀ! ਨੌਜਵਾਨ ਬਹੁਤ ਉਤਸ਼ਾਹਿਤ ਹਨ।"),
            Reply("Kwame Mensah", "Libraries as the door to the wikis: exactly what we saw in Ghana. Well done!"),
        ),
    ),
    DemoStory(
        "Punjabi Wikipedia in village libraries",
        ("ਹਰਪ੍ਰੀਤ ਕੌਰ",),
        "en",
        "project_update",
        "In six months, editing workshops came to the libraries of twelve villages in Patiala district. Sixty "
        "new editors wrote about their villages, fairs and folk songs.",
        "In most villages the library is the only place with a computer and the internet. So that is where we "
        "went: one village every Saturday, a two-hour workshop, and tea.\n\n"
        "## What was written\n\n"
        "- articles on twelve villages, with their history and their gurdwaras;\n"
        "- new articles on five rural fairs and thirty folk songs;\n"
        "- four hundred photographs on Wikimedia Commons.\n\n"
        "## What we learnt\n\n"
        "The elders know the most, but printed sources are few. So we listed the villages' old books and "
        "gazetteers, and the list is now on Wikisource for everyone.\n\n"
        "Next year we go to Sangrur and Bathinda. If your village has a library, tell us!",
        days_ago=18,
        categories=("community", "education"),
        tags=("wikipedia", "education"),
        translation_of="ਪਿੰਡਾਂ ਦੀਆਂ ਲਾਇਬ੍ਰੇਰੀਆਂ ਵਿੱਚ ਪੰਜਾਬੀ ਵਿਕੀਪੀਡੀਆ",
        cover="library",
        cover_credit="ਹਰਪ੍ਰੀਤ ਕੌਰ",
    ),
]
# --- Events -------------------------------------------------------------------------------------
# Around the world: past, coming, recurring, online. Dates are relative to the day the demo is seeded,
# on each event's own clock (its time zone).

EVENT_CATEGORIES = ("events", "edit-a-thons")


@dataclass
class DemoEvent:
    title: str
    category: str
    author: str
    language: str
    raw: str
    days_from_now: int  # the first date, counted from the seeding day (negative: in the past)
    timezone: str
    start: str = "18:00"  # wall clock; "" for all day
    hours: float = 2
    days: int = 1  # all-day events: how many days
    rrule: str = ""
    venue: str = ""
    address: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    online_url: str = ""
    online_audience: str = "everyone"
    capacity: int | None = None
    going: tuple[str, ...] = ()
    interested: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


EVENTS: list[DemoEvent] = [
    DemoEvent(
        "Commons photo walk in Berlin",
        "events",
        "Zoë Müller",
        "de",
        "Wir fotografieren Denkmäler rund um den Pariser Platz und laden die Bilder gemeinsam auf Commons hoch. "
        "Bring a camera or a phone; we explain the licences on the way.",
        9,
        "Europe/Berlin",
        "14:00",
        3,
        venue="Brandenburger Tor",
        address="Pariser Platz, 10117 Berlin",
        country="DE",
        latitude=52.516275,
        longitude=13.377704,
        capacity=15,
        going=("Søren Østergaard", "Ingrid Johansson", "Tomasz Kowalski"),
        interested=("Françoise Dubois",),
    ),
    DemoEvent(
        "Yoruba Wikipedia edit-a-thon in Ibadan",
        "edit-a-thons",
        "Oluwaseun Adeyemi",
        "yo",
        "A day of writing about Yoruba history and culture, with mentors for first-time editors. Lunch is provided.",
        20,
        "Africa/Lagos",
        "10:00",
        6,
        venue="University of Ibadan, Kenneth Dike Library",
        address="Oduduwa Road, Ibadan",
        country="NG",
        latitude=7.4443,
        longitude=3.8996,
        capacity=40,
        going=("Chidi Okeke", "Kwame Mensah"),
    ),
    DemoEvent(
        "Soirée Wikidata à Montréal",
        "events",
        "Léa Martin",
        "fr",
        "Chaque deuxième jeudi du mois, on se retrouve pour enrichir Wikidata : bibliothèques, musées, toponymes.",
        5,
        "America/Toronto",
        "18:30",
        2,
        rrule="FREQ=MONTHLY;BYDAY=2TH",
        venue="Grande Bibliothèque",
        address="475 boulevard De Maisonneuve Est, Montréal",
        country="CA",
        latitude=45.5152,
        longitude=-73.5620,
        going=("Françoise Dubois",),
    ),
    DemoEvent(
        "Weekly online office hours",
        "events",
        "Emma Wright",
        "en",
        "Bring your questions about editing, uploading or this site. Every Wednesday, online, for everyone.",
        1,
        "UTC",
        "16:00",
        1,
        rrule="FREQ=WEEKLY;BYDAY=WE",
        online_url="https://meet.example.org/agora-office-hours",
        going=("Chen Wei", "Siddharth R.", "Mariana Costa"),
    ),
    DemoEvent(
        "Translators' online sprint",
        "events",
        "प्रिया शर्मा",
        "hi",
        "The last Saturday of each month we translate the interface and help pages together. The call link is "
        "shown to the people going.",
        3,
        "Asia/Kolkata",
        "15:30",
        2,
        rrule="FREQ=MONTHLY;BYDAY=-1SA;COUNT=12",
        online_url="https://meet.example.org/translators-sprint",
        online_audience="attendees",
        going=("राहुल वर्मा", "Siddharth R."),
    ),
    DemoEvent(
        "हिंदी विकिपीडिया कार्यशाला, लखनऊ",
        "edit-a-thons",
        "राहुल वर्मा",
        "hi",
        "नए संपादकों के लिए एक दिन की कार्यशाला: लेख कैसे लिखें, स्रोत कैसे जोड़ें।",
        12,
        "Asia/Kolkata",
        "11:00",
        4,
        venue="Lucknow University",
        address="University Road, Lucknow",
        country="IN",
        latitude=26.8657,
        longitude=80.9380,
        going=("प्रिया शर्मा",),
    ),
    DemoEvent(
        "WikiConference Türkiye",
        "events",
        "Ayşe Yılmaz",
        "tr",
        "İki gün boyunca konuşmalar, atölyeler ve topluluk buluşmaları. Two days of talks and workshops.",
        45,
        "Europe/Istanbul",
        "",
        days=2,
        venue="İstanbul Bilgi Üniversitesi, santralistanbul",
        address="Eski Silahtarağa Elektrik Santrali, Eyüpsultan, İstanbul",
        country="TR",
        latitude=41.0667,
        longitude=28.9463,
        capacity=200,
        going=("Ελένη Παπαδοπούλου", "Mihai Popescu"),
    ),
    DemoEvent(
        "Editatón de mujeres en la ciencia",
        "edit-a-thons",
        "José Álvarez",
        "es",
        "Escribimos biografías de científicas mexicanas. Cupo limitado: dos lugares, con lista de espera.",
        30,
        "America/Mexico_City",
        "10:00",
        5,
        venue="Biblioteca Pública del Estado de Jalisco",
        address="Periférico Norte 1695, Zapopan",
        country="MX",
        latitude=20.7370,
        longitude=-103.3917,
        capacity=2,
        going=("Rosa María Quispe", "moderator"),
    ),
    DemoEvent(
        "Oficina de Wikisource em São Paulo",
        "events",
        "João Silva",
        "pt",
        "Transcrevemos e revisamos livros em domínio público. Obrigado a todos que vieram!",
        -30,
        "America/Sao_Paulo",
        "19:00",
        2,
        venue="Biblioteca Mário de Andrade",
        address="Rua da Consolação, 94, São Paulo",
        country="BR",
        latitude=-23.5469,
        longitude=-46.6428,
        going=("Mariana Costa", "Ana Lúcia Ferreira"),
    ),
    DemoEvent(
        "上海博物馆照片整理",
        "events",
        "王芳",
        "zh",
        "在博物馆拍摄并整理文物照片，上传到维基共享资源。",
        -10,
        "Asia/Shanghai",
        "14:00",
        3,
        venue="上海博物馆",
        address="人民大道201号, 上海",
        country="CN",
        latitude=31.2284,
        longitude=121.4753,
        going=("李明 (Wikidata)",),
    ),
    DemoEvent(
        "Nairobi Wikipedians monthly meetup",
        "events",
        "Kwame Mensah",
        "sw",
        "Every first Saturday: news from the community, editing help, and tea. Karibuni!",
        -90,
        "Africa/Nairobi",
        "10:00",
        3,
        rrule="FREQ=MONTHLY;BYDAY=1SA",
        venue="iHub",
        address="Ngong Road, Nairobi",
        country="KE",
        latitude=-1.2985,
        longitude=36.7900,
        going=("Fatuma Wanjiru",),
    ),
]

# Members who saved where they are; those with show=True are on the member map (as their city).
MEMBER_LOCATIONS: list[tuple[str, str, float, float, bool]] = [
    ("Zoë Müller", "Berlin", 52.52, 13.405, True),
    ("Léa Martin", "Montréal", 45.5019, -73.5674, True),
    ("Oluwaseun Adeyemi", "Ibadan", 7.3775, 3.947, True),
    ("राहुल वर्मा", "लखनऊ", 26.8467, 80.9462, True),
    ("João Silva", "São Paulo", -23.5505, -46.6333, True),
    ("Søren Østergaard", "Aarhus", 56.1629, 10.2039, False),
    ("Ayşe Yılmaz", "İstanbul", 41.0082, 28.9784, True),
]

# --- Names in the readers' languages -------------------------------------------------------------
# Translations of the categories', tags' and groups' names and descriptions (agora.core.translated_names),
# by slug or name, then language. Addresses stay as they are; readers see these.

CATEGORY_TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    # The two categories every site starts with (discuss and blog migrations).
    "general": {
        "es": {"name": "General", "description": "Todo lo que no cabe en otro sitio."},
        "fr": {"name": "Général", "description": "Tout ce qui n'a pas sa place ailleurs."},
        "ar": {"name": "عام", "description": "كل ما لا يناسب مكانًا آخر."},
        "hi": {"name": "सामान्य", "description": "जो कहीं और ठीक न बैठे, वह सब यहाँ।"},
        "pa": {"name": "ਆਮ", "description": "ਜੋ ਕਿਤੇ ਹੋਰ ਨਾ ਢੁੱਕੇ, ਉਹ ਸਭ ਇੱਥੇ।"},
    },
    "blog": {
        "es": {"name": "Blog", "description": "Comentarios sobre los artículos del blog."},
        "fr": {"name": "Blog", "description": "Les commentaires des articles du blog."},
        "ar": {"name": "المدونة", "description": "التعليقات على قصص المدونة."},
        "hi": {"name": "ब्लॉग", "description": "ब्लॉग की कहानियों पर टिप्पणियाँ।"},
        "pa": {"name": "ਬਲੌਗ", "description": "ਬਲੌਗ ਦੀਆਂ ਕਹਾਣੀਆਂ ਉੱਤੇ ਟਿੱਪਣੀਆਂ।"},
    },
    "ask-here": {
        "es": {
            "name": "Pregunta aquí",
            "description": (
                "Preguntas sobre edición, subidas, herramientas y proyectos. Marca la respuesta que te ayudó."
            ),
        },
        "fr": {
            "name": "Posez vos questions",
            "description": (
                "Questions sur la modification, l'import de fichiers, les outils et les "
                "projets. Marquez la réponse qui vous a aidé."
            ),
        },
        "ar": {
            "name": "اسأل هنا",
            "description": ("أسئلة عن التحرير ورفع الملفات والأدوات والمشاريع. علّم الرد الذي ساعدك."),
        },
        "hi": {
            "name": "यहाँ पूछें",
            "description": ("संपादन, अपलोड, टूल और परियोजनाओं के बारे में सवाल। जिस जवाब से मदद मिली, उसे चिह्नित करें।"),
        },
        "pa": {
            "name": "ਇੱਥੇ ਪੁੱਛੋ",
            "description": ("ਸੰਪਾਦਨ, ਅੱਪਲੋਡ, ਟੂਲਾਂ ਅਤੇ ਪ੍ਰੋਜੈਕਟਾਂ ਬਾਰੇ ਸਵਾਲ। ਜਿਸ ਜਵਾਬ ਨੇ ਮਦਦ ਕੀਤੀ, ਉਸ ਉੱਤੇ ਨਿਸ਼ਾਨ ਲਾਓ।"),
        },
    },
    "technical-help": {
        "es": {"name": "Ayuda técnica", "description": "Consultas, bots, herramientas, plantillas y accesorios."},
        "fr": {"name": "Aide technique", "description": "Requêtes, robots, outils, modèles et gadgets."},
        "ar": {"name": "مساعدة تقنية", "description": "الاستعلامات والبوتات والأدوات والقوالب والإضافات."},
        "hi": {"name": "तकनीकी मदद", "description": "क्वेरी, बॉट, टूल, साँचे और गैजेट।"},
        "pa": {"name": "ਤਕਨੀਕੀ ਮਦਦ", "description": "ਕੁਐਰੀਆਂ, ਬੋਟ, ਟੂਲ, ਫਰਮੇ ਅਤੇ ਗੈਜਟ।"},
    },
    "community-news": {
        "es": {
            "name": "Noticias de la comunidad",
            "description": "Hitos, informes y anuncios de voluntarios y afiliados.",
        },
        "fr": {
            "name": "Nouvelles de la communauté",
            "description": "Étapes, rapports et annonces des bénévoles et des affiliés.",
        },
        "ar": {"name": "أخبار المجتمع", "description": "إنجازات وتقارير وإعلانات من المتطوعين والمنظمات التابعة."},
        "hi": {"name": "समुदाय के समाचार", "description": "स्वयंसेवकों और सहयोगी संगठनों की उपलब्धियाँ, रिपोर्टें और घोषणाएँ।"},
        "pa": {"name": "ਭਾਈਚਾਰੇ ਦੀਆਂ ਖ਼ਬਰਾਂ", "description": "ਵਲੰਟੀਅਰਾਂ ਅਤੇ ਸਹਿਯੋਗੀ ਸੰਸਥਾਵਾਂ ਦੀਆਂ ਪ੍ਰਾਪਤੀਆਂ, ਰਿਪੋਰਟਾਂ ਅਤੇ ਐਲਾਨ।"},
    },
    "events": {
        "es": {"name": "Eventos", "description": "Encuentros, congresos, talleres y reuniones en línea."},
        "fr": {"name": "Événements", "description": "Rencontres, conférences, ateliers et réunions en ligne."},
        "ar": {"name": "الفعاليات", "description": "لقاءات ومؤتمرات وورش عمل وتجمعات عبر الإنترنت."},
        "hi": {"name": "कार्यक्रम", "description": "मुलाक़ातें, सम्मेलन, कार्यशालाएँ और ऑनलाइन बैठकें।"},
        "pa": {"name": "ਸਮਾਗਮ", "description": "ਮਿਲਣੀਆਂ, ਕਾਨਫ਼ਰੰਸਾਂ, ਵਰਕਸ਼ਾਪਾਂ ਅਤੇ ਔਨਲਾਈਨ ਇਕੱਠ।"},
    },
    "edit-a-thons": {
        "es": {
            "name": "Editatones",
            "description": "Organiza un editatón, encuentra mentores, comparte los resultados.",
        },
        "fr": {
            "name": "Éditathons",
            "description": "Préparer un éditathon, trouver des mentors, partager les résultats.",
        },
        "ar": {"name": "ماراثونات التحرير", "description": "خطّط لماراثون تحرير، وابحث عن مرشدين، وشارك النتائج."},
        "hi": {"name": "एडिट-ए-थॉन", "description": "एडिट-ए-थॉन की योजना बनाएँ, मार्गदर्शक खोजें, नतीजे साझा करें।"},
        "pa": {"name": "ਸੰਪਾਦਨ-ਮੇਲੇ", "description": "ਸੰਪਾਦਨ-ਮੇਲੇ ਦੀ ਯੋਜਨਾ ਬਣਾਓ, ਮਾਰਗਦਰਸ਼ਕ ਲੱਭੋ, ਨਤੀਜੇ ਸਾਂਝੇ ਕਰੋ।"},
    },
    "learning-and-evaluation": {
        "es": {
            "name": "Aprendizaje y evaluación",
            "description": "Qué funcionó, qué no, y las cifras detrás de nuestros programas.",
        },
        "fr": {
            "name": "Apprentissage et évaluation",
            "description": ("Ce qui a marché, ce qui n'a pas marché, et les chiffres de nos programmes."),
        },
        "ar": {"name": "التعلّم والتقييم", "description": "ما الذي نجح وما الذي لم ينجح، والأرقام وراء برامجنا."},
        "hi": {"name": "सीख और मूल्यांकन", "description": "क्या काम आया, क्या नहीं, और हमारे कार्यक्रमों के आँकड़े।"},
        "pa": {"name": "ਸਿੱਖਿਆ ਅਤੇ ਮੁਲਾਂਕਣ", "description": "ਕੀ ਕੰਮ ਆਇਆ, ਕੀ ਨਹੀਂ, ਅਤੇ ਸਾਡੇ ਪ੍ਰੋਗਰਾਮਾਂ ਦੇ ਅੰਕੜੇ।"},
    },
    "about-this-space": {
        "es": {
            "name": "Sobre este espacio",
            "description": "Cómo funciona este foro, sus normas y comentarios sobre él.",
        },
        "fr": {
            "name": "À propos de cet espace",
            "description": "Le fonctionnement du forum, ses règles, et vos remarques.",
        },
        "ar": {"name": "عن هذا الفضاء", "description": "كيف يعمل هذا المنتدى، وقواعده، وملاحظاتكم عليه."},
        "hi": {"name": "इस मंच के बारे में", "description": "यह फ़ोरम कैसे चलता है, इसके नियम, और इस पर आपकी राय।"},
        "pa": {"name": "ਇਸ ਥਾਂ ਬਾਰੇ", "description": "ਇਹ ਫ਼ੋਰਮ ਕਿਵੇਂ ਚੱਲਦਾ ਹੈ, ਇਸ ਦੇ ਨਿਯਮ, ਅਤੇ ਇਸ ਬਾਰੇ ਤੁਹਾਡੇ ਵਿਚਾਰ।"},
    },
    "wiki-loves-monuments": {
        "es": {"name": "Wiki Loves Monuments"},
        "fr": {"name": "Wiki Loves Monuments"},
        "ar": {
            "name": "ويكي تهوى المعالم",
            "description": "مسابقة تصوير التراث الثقافي: يخطط المنظمون الوطنيون، ويقرأ الجميع.",
        },
        "hi": {
            "name": "विकी लव्स मॉन्यूमेंट्स",
            "description": ("सांस्कृतिक धरोहर की फ़ोटो प्रतियोगिता: राष्ट्रीय आयोजक योजना बनाते हैं, सब पढ़ सकते हैं।"),
        },
        "pa": {
            "name": "ਵਿਕੀ ਲਵਜ਼ ਮੌਨੂਮੈਂਟਸ",
            "description": ("ਸੱਭਿਆਚਾਰਕ ਵਿਰਾਸਤ ਦਾ ਫ਼ੋਟੋ ਮੁਕਾਬਲਾ: ਕੌਮੀ ਪ੍ਰਬੰਧਕ ਯੋਜਨਾ ਬਣਾਉਂਦੇ ਹਨ, ਸਾਰੇ ਪੜ੍ਹ ਸਕਦੇ ਹਨ।"),
        },
    },
    "affcom-room": {
        "es": {"name": "Sala de trabajo de AffCom"},
        "fr": {"name": "Salle de travail de l'AffCom"},
        "ar": {"name": "غرفة عمل لجنة الانتساب"},
        "hi": {"name": "AffCom का कार्य-कक्ष"},
        "pa": {"name": "AffCom ਦਾ ਕੰਮ-ਕਮਰਾ"},
    },
    "trust-and-safety-room": {
        "es": {"name": "Casos de confianza y seguridad"},
        "fr": {"name": "Dossiers confiance et sécurité"},
        "ar": {"name": "قضايا الثقة والأمان"},
        "hi": {"name": "भरोसा और सुरक्षा के मामले"},
        "pa": {"name": "ਭਰੋਸਾ ਅਤੇ ਸੁਰੱਖਿਆ ਦੇ ਮਾਮਲੇ"},
    },
    "staff-room": {
        "es": {"name": "Sala del personal"},
        "fr": {"name": "Salle de l'équipe"},
        "ar": {"name": "غرفة الطاقم"},
        "hi": {"name": "स्टाफ़ कक्ष"},
        "pa": {"name": "ਸਟਾਫ਼ ਕਮਰਾ"},
    },
}

TAG_TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "commons": {
        "ar": {"name": "كومنز", "description": "ويكيميديا كومنز: وسائط بترخيص حر."},
        "hi": {"name": "कॉमन्स", "description": "विकिमीडिया कॉमन्स: मुक्त लाइसेंस वाली मीडिया फ़ाइलें।"},
        "pa": {"name": "ਕਾਮਨਜ਼", "description": "ਵਿਕੀਮੀਡੀਆ ਕਾਮਨਜ਼: ਅਜ਼ਾਦ ਲਾਇਸੈਂਸ ਵਾਲਾ ਮੀਡੀਆ।"},
    },
    "edit-a-thon": {
        "es": {"name": "editatón", "description": "Eventos de edición, en línea y presenciales."},
        "fr": {"name": "éditathon", "description": "Événements de contribution, en ligne et sur place."},
        "ar": {"name": "ماراثون-تحرير", "description": "فعاليات تحرير، عبر الإنترنت وحضوريًا."},
        "hi": {"name": "एडिट-ए-थॉन", "description": "संपादन कार्यक्रम, ऑनलाइन और आमने-सामने।"},
        "pa": {"name": "ਸੰਪਾਦਨ-ਮੇਲਾ", "description": "ਸੰਪਾਦਨ ਸਮਾਗਮ, ਔਨਲਾਈਨ ਅਤੇ ਆਹਮੋ-ਸਾਹਮਣੇ।"},
    },
    "education": {
        "es": {"name": "educación", "description": "Wikis en escuelas y universidades."},
        "fr": {"name": "éducation", "description": "Les wikis à l'école et à l'université."},
        "ar": {"name": "تعليم", "description": "الويكي في المدارس والجامعات."},
        "hi": {"name": "शिक्षा", "description": "स्कूलों और विश्वविद्यालयों में विकि।"},
        "pa": {"name": "ਸਿੱਖਿਆ", "description": "ਸਕੂਲਾਂ ਅਤੇ ਯੂਨੀਵਰਸਿਟੀਆਂ ਵਿੱਚ ਵਿਕੀ।"},
    },
    "gender-gap": {
        "es": {"name": "brecha-de-género", "description": "Cerrar la brecha de género en contenidos y participantes."},
        "fr": {
            "name": "écart-de-genre",
            "description": ("Réduire l'écart de genre dans les contenus et parmi les contributeurs."),
        },
        "ar": {"name": "الفجوة-بين-الجنسين", "description": "سدّ الفجوة بين الجنسين في المحتوى والمساهمين."},
        "hi": {"name": "लैंगिक-अंतर", "description": "सामग्री और योगदानकर्ताओं में लैंगिक अंतर कम करना।"},
        "pa": {"name": "ਲਿੰਗ-ਪਾੜਾ", "description": "ਸਮੱਗਰੀ ਅਤੇ ਯੋਗਦਾਨੀਆਂ ਵਿੱਚ ਲਿੰਗ ਪਾੜਾ ਘਟਾਉਣਾ।"},
    },
    "tools": {
        "es": {"name": "herramientas"},
        "fr": {"name": "outils"},
        "ar": {"name": "أدوات"},
        "hi": {"name": "टूल"},
        "pa": {"name": "ਟੂਲ"},
    },
}

GROUP_TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "wiki-loves-monuments": {
        "es": {
            "name": "Organizadores de Wiki Loves Monuments",
            "description": (
                "Organizadores nacionales de **Wiki Loves Monuments**, el mayor "
                "concurso de fotografía del mundo. Cualquiera puede unirse: saluda en "
                "la [categoría](/c/wiki-loves-monuments) y cuéntanos qué país "
                "fotografías."
            ),
        },
        "fr": {
            "name": "Organisateurs de Wiki Loves Monuments",
            "description": (
                "Les organisateurs nationaux de **Wiki Loves Monuments**, le plus grand "
                "concours photo du monde. Chacun peut nous rejoindre : présentez-vous "
                "dans la [catégorie](/c/wiki-loves-monuments) et dites-nous quel pays "
                "vous photographiez."
            ),
        },
        "ar": {
            "name": "منظمو ويكي تهوى المعالم",
            "description": (
                "المنظمون الوطنيون لمسابقة **ويكي تهوى المعالم**، أكبر مسابقة تصوير في "
                "العالم. الانضمام مفتوح للجميع: عرّفوا بأنفسكم في "
                "[القسم](/c/wiki-loves-monuments) وأخبرونا أي بلد تصوّرون."
            ),
        },
        "hi": {
            "name": "विकी लव्स मॉन्यूमेंट्स के आयोजक",
            "description": (
                "दुनिया की सबसे बड़ी फ़ोटो प्रतियोगिता **विकी लव्स मॉन्यूमेंट्स** के "
                "राष्ट्रीय आयोजक। कोई भी जुड़ सकता है: "
                "[श्रेणी](/c/wiki-loves-monuments) में नमस्ते कहिए और बताइए कि आप किस "
                "देश की तस्वीरें लेते हैं।"
            ),
        },
        "pa": {
            "name": "ਵਿਕੀ ਲਵਜ਼ ਮੌਨੂਮੈਂਟਸ ਦੇ ਪ੍ਰਬੰਧਕ",
            "description": (
                "ਦੁਨੀਆ ਦੇ ਸਭ ਤੋਂ ਵੱਡੇ ਫ਼ੋਟੋ ਮੁਕਾਬਲੇ **ਵਿਕੀ ਲਵਜ਼ ਮੌਨੂਮੈਂਟਸ** ਦੇ ਕੌਮੀ "
                "ਪ੍ਰਬੰਧਕ। ਕੋਈ ਵੀ ਜੁੜ ਸਕਦਾ ਹੈ: [ਸ਼੍ਰੇਣੀ](/c/wiki-loves-monuments) ਵਿੱਚ "
                "ਸਤਿ ਸ੍ਰੀ ਅਕਾਲ ਕਹੋ ਅਤੇ ਦੱਸੋ ਕਿ ਤੁਸੀਂ ਕਿਸ ਦੇਸ਼ ਦੀਆਂ ਤਸਵੀਰਾਂ ਖਿੱਚਦੇ ਹੋ।"
            ),
        },
    },
    "editorial-board": {
        "es": {"name": "Consejo editorial"},
        "fr": {"name": "Comité de rédaction"},
        "ar": {"name": "هيئة التحرير"},
        "hi": {"name": "संपादकीय मंडल"},
        "pa": {"name": "ਸੰਪਾਦਕੀ ਮੰਡਲ"},
    },
}

# The code of conduct in Arabic and Punjabi: staff's translations of its first version (pages.services).
PAGE_TRANSLATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "code-of-conduct": {
        "ar": (
            "مدونة السلوك",
            "هذا الفضاء ملك لكل من يشارك فيه. نأتي من بلدان ولغات ومعتقدات ومسارات حياة كثيرة، وكثيرًا ما نختلف. "
            "تقول هذه المدونة كيف نعامل بعضنا بعضًا ونحن نختلف. وهي تنطبق على كل ما هنا: المواضيع والردود، والرسائل "
            "الخاصة، والمجموعات، والفعاليات، والقصص، والملفات الشخصية، وعلى تعامل أعضاء هذا المجتمع في أماكن أخرى حين "
            "يتعلق الأمر بما يجري هنا.\n\n"
            "## ما نتوقعه من الجميع\n\n"
            "- **احترم الناس، وناقش الأفكار.** انتقد الاقتراح أو التعديل أو القرار، لا الشخص الذي يقف وراءه. افترض "
            "حسن النية حتى يظهر دليل واضح على خلافه.\n"
            "- **كن لطيفًا مع القادمين الجدد.** كلنا كنا جددًا يومًا ما. اشرح، ودلّ على المساعدة، واصبر على الأسئلة "
            "التي طُرحت من قبل.\n"
            "- **أصغِ رغم الاختلاف.** يكتب كثيرون بلغة ثانية أو ثالثة، ويأتون من ثقافات أخرى. اسأل قبل أن تفترض أنك "
            "أُهنت.\n"
            "- **استخدم لغة جامعة.** خاطب الناس بالأسماء والضمائر التي يستخدمونها، وتجنّب النكات والصور النمطية على "
            "حساب أي جماعة.\n"
            "- **تحمّل المسؤولية.** إن آذيت أحدًا، ولو دون قصد، فأصغِ واعتذر. كلنا نخطئ؛ المهم ما نفعله بعد ذلك.\n"
            "- **ساعد في الحفاظ على سلامة الفضاء.** إن رأيت ما يخالف هذه المدونة فأبلغ عنه أو أخبر المشرفين. لا ترد "
            "على الإساءة بالإساءة.\n\n"
            "## ما لا يُقبل\n\n"
            "- **التحرش** بكل أشكاله: الإهانات، والتنابز بالألقاب، والتواصل المتكرر غير المرغوب فيه، والترهيب، "
            "والملاحقة، أو تحريض الآخرين على ذلك.\n"
            "- **التهديد** بالعنف، أو بالإضرار بسلامة أحد أو سمعته أو رزقه، أو بالملاحقة القانونية لإسكات الناس.\n"
            "- **الكراهية والتمييز**: الهجوم أو الشتائم بسبب العرق أو الجنسية أو الدين أو الطائفة أو الجنس أو الهوية "
            "الجندرية أو الميول الجنسية أو العمر أو الإعاقة أو المظهر.\n"
            "- **التحرش الجنسي**: الاهتمام أو التعليقات أو الصور الجنسية غير المرغوب فيها؛ والمحتوى الجنسي المتعلق "
            "بالقاصرين ممنوع دائمًا ويُبلَّغ عنه للسلطات.\n"
            "- **كشف المعلومات الخاصة**: نشر اسم أحد الحقيقي أو عنوانه أو مكان عمله أو صوره أو أي تفاصيل شخصية لم "
            "يعلنها هنا، أو التخمين فيها.\n"
            "- **إساءة استخدام السلطة**: استعمال دور أو مستوى ثقة أو أداة إشراف لتصفية خلاف شخصي أو للترهيب.\n"
            "- **الخداع والتلاعب**: انتحال شخصية الآخرين، أو استخدام حسابات متعددة لاصطناع التأييد، أو نشر معلومات "
            "كاذبة عمدًا، أو الرسائل المزعجة.\n"
            "- **التخريب**: تعطيل النقاشات عمدًا، أو إتلاف المحتوى المشترك، أو إغراق الموقع.\n\n"
            "## ماذا يحدث عند مخالفة المدونة\n\n"
            "المشرفون متطوعون من المجتمع ومن طاقم الموقع. يمكنهم إخفاء مشاركة أو تعديلها، أو تنبيه عضو على انفراد، أو "
            "إسكات حساب لمدة (يقرأ ولا يكتب)، أو تعليقه. ويتصرفون بتناسب: الهفوة الأولى الصغيرة تلقى في الغالب كلمة "
            "ودية، والضرر المتكرر أو الجسيم يلقى إجراءً أشد، وفورًا إن كان الناس في خطر. وكل إجراء إشرافي يُسجَّل في "
            "سجل يراجعه الطاقم.\n\n"
            "إن خضعت لإجراء إشرافي وظننته خطأً، فاكتب إلى المشرفين؛ وسيعيد مشرف آخر النظر فيه.\n\n"
            "## كيف تُبلغ عن مشكلة\n\n"
            "- أبلغ عن المشاركة: يذهب البلاغ إلى طابور المراجعة لدى المشرفين.\n"
            "- اكتب إلى المشرفين عبر *راسل المشرفين* أسفل كل صفحة (بعد تسجيل الدخول). ويمكنك الكتابة دون ذكر اسمك "
            "إن احتجت.\n"
            "- إن كان أحد في خطر داهم، فاتصل بخدمات الطوارئ المحلية أولًا.\n\n"
            "لا يقرأ البلاغات إلا المشرفون، ويتعاملون معها بتكتم. والانتقام من أحد بسبب بلاغ قدّمه بحسن نية مخالفة "
            "لهذه المدونة في حد ذاته.\n\n"
            "## تعديل هذه المدونة\n\n"
            "يجوز للطاقم تحسين الصياغة في أي وقت، وكل تعديل محفوظ في تاريخ هذه الصفحة. وحين يغيّر التعديل ما نطلبه من "
            "الأعضاء، يُطلب من الجميع قراءة النسخة الجديدة وقبولها في زيارتهم التالية.",
        ),
        "pa": (
            "ਆਚਾਰ ਸੰਹਿਤਾ",
            "ਇਹ ਥਾਂ ਉਨ੍ਹਾਂ ਸਾਰਿਆਂ ਦੀ ਹੈ ਜੋ ਇਸ ਵਿੱਚ ਹਿੱਸਾ ਲੈਂਦੇ ਹਨ। ਅਸੀਂ ਕਈ ਦੇਸ਼ਾਂ, ਬੋਲੀਆਂ, ਵਿਸ਼ਵਾਸਾਂ ਅਤੇ ਜ਼ਿੰਦਗੀ ਦੇ "
            "ਰਾਹਾਂ ਤੋਂ ਆਉਂਦੇ ਹਾਂ, ਅਤੇ ਅਕਸਰ ਅਸਹਿਮਤ ਹੁੰਦੇ ਹਾਂ। ਇਹ ਸੰਹਿਤਾ ਦੱਸਦੀ ਹੈ ਕਿ ਅਸਹਿਮਤ ਹੁੰਦਿਆਂ ਅਸੀਂ ਇੱਕ-ਦੂਜੇ "
            "ਨਾਲ ਕਿਵੇਂ ਪੇਸ਼ ਆਉਂਦੇ ਹਾਂ। ਇਹ ਇੱਥੇ ਹਰ ਚੀਜ਼ ਉੱਤੇ ਲਾਗੂ ਹੁੰਦੀ ਹੈ: ਵਿਸ਼ੇ ਅਤੇ ਜਵਾਬ, ਨਿੱਜੀ ਸੁਨੇਹੇ, ਸਮੂਹ, "
            "ਸਮਾਗਮ, ਕਹਾਣੀਆਂ ਅਤੇ ਪ੍ਰੋਫ਼ਾਈਲ।\n\n"
            "## ਅਸੀਂ ਹਰ ਕਿਸੇ ਤੋਂ ਕੀ ਉਮੀਦ ਰੱਖਦੇ ਹਾਂ\n\n"
            "- **ਲੋਕਾਂ ਦਾ ਸਤਿਕਾਰ ਕਰੋ, ਵਿਚਾਰਾਂ ਉੱਤੇ ਬਹਿਸ ਕਰੋ।** ਸੁਝਾਅ, ਸੋਧ ਜਾਂ ਫ਼ੈਸਲੇ ਦੀ ਆਲੋਚਨਾ ਕਰੋ, ਉਸ ਦੇ ਪਿੱਛੇ "
            "ਵਾਲੇ ਵਿਅਕਤੀ ਦੀ ਕਦੇ ਨਹੀਂ। ਜਦ ਤੱਕ ਸਾਫ਼ ਸਬੂਤ ਨਾ ਹੋਵੇ, ਨੇਕ ਨੀਅਤ ਮੰਨੋ।\n"
            "- **ਨਵੇਂ ਆਏ ਲੋਕਾਂ ਨਾਲ ਪਿਆਰ ਨਾਲ ਪੇਸ਼ ਆਓ।** ਹਰ ਕੋਈ ਕਦੇ ਨਵਾਂ ਸੀ। ਸਮਝਾਓ, ਮਦਦ ਵੱਲ ਰਾਹ ਦੱਸੋ, ਅਤੇ ਪਹਿਲਾਂ "
            "ਪੁੱਛੇ ਗਏ ਸਵਾਲਾਂ ਉੱਤੇ ਵੀ ਸਬਰ ਰੱਖੋ।\n"
            "- **ਫ਼ਰਕਾਂ ਦੇ ਪਾਰ ਸੁਣੋ।** ਲੋਕ ਦੂਜੀ ਜਾਂ ਤੀਜੀ ਬੋਲੀ ਵਿੱਚ ਲਿਖਦੇ ਹਨ ਅਤੇ ਹੋਰ ਸੱਭਿਆਚਾਰਾਂ ਤੋਂ ਆਉਂਦੇ ਹਨ। "
            "ਇਹ ਮੰਨਣ ਤੋਂ ਪਹਿਲਾਂ ਕਿ ਤੁਹਾਡੀ ਬੇਇੱਜ਼ਤੀ ਹੋਈ ਹੈ, ਪੁੱਛ ਲਓ।\n"
            "- **ਸਭ ਨੂੰ ਨਾਲ ਲੈਣ ਵਾਲੀ ਬੋਲੀ ਵਰਤੋ।** ਲੋਕਾਂ ਨੂੰ ਉਸੇ ਨਾਂ ਨਾਲ ਬੁਲਾਓ ਜੋ ਉਹ ਵਰਤਦੇ ਹਨ। ਕਿਸੇ ਸਮੂਹ ਦਾ "
            "ਮਖੌਲ ਉਡਾਉਣ ਵਾਲੇ ਚੁਟਕਲਿਆਂ ਤੋਂ ਬਚੋ।\n"
            "- **ਜ਼ਿੰਮੇਵਾਰੀ ਲਓ।** ਜੇ ਤੁਸੀਂ ਕਿਸੇ ਨੂੰ ਦੁੱਖ ਪਹੁੰਚਾਇਆ, ਅਣਜਾਣੇ ਵਿੱਚ ਵੀ, ਤਾਂ ਸੁਣੋ ਅਤੇ ਮਾਫ਼ੀ ਮੰਗੋ।\n"
            "- **ਇਸ ਥਾਂ ਨੂੰ ਸਿਹਤਮੰਦ ਰੱਖਣ ਵਿੱਚ ਮਦਦ ਕਰੋ।** ਜੇ ਕੁਝ ਇਸ ਸੰਹਿਤਾ ਦੇ ਉਲਟ ਦਿਸੇ, ਤਾਂ ਉਸ ਦੀ ਸ਼ਿਕਾਇਤ ਕਰੋ ਜਾਂ "
            "ਸੰਚਾਲਕਾਂ ਨੂੰ ਦੱਸੋ। ਬਦਸਲੂਕੀ ਦਾ ਜਵਾਬ ਬਦਸਲੂਕੀ ਨਾਲ ਨਾ ਦਿਓ।\n\n"
            "## ਕੀ ਮਨਜ਼ੂਰ ਨਹੀਂ\n\n"
            "- ਕਿਸੇ ਵੀ ਕਿਸਮ ਦੀ **ਪਰੇਸ਼ਾਨੀ**: ਗਾਲ੍ਹਾਂ, ਮਾੜੇ ਨਾਂ, ਵਾਰ-ਵਾਰ ਅਣਚਾਹਿਆ ਸੰਪਰਕ, ਡਰਾਉਣਾ ਜਾਂ ਪਿੱਛਾ ਕਰਨਾ।\n"
            "- ਹਿੰਸਾ ਦੀਆਂ, ਜਾਂ ਕਿਸੇ ਦੀ ਸੁਰੱਖਿਆ, ਇੱਜ਼ਤ ਜਾਂ ਰੋਜ਼ੀ ਨੂੰ ਨੁਕਸਾਨ ਪਹੁੰਚਾਉਣ ਦੀਆਂ **ਧਮਕੀਆਂ**।\n"
            "- **ਨਫ਼ਰਤ ਅਤੇ ਵਿਤਕਰਾ**: ਨਸਲ, ਕੌਮੀਅਤ, ਧਰਮ, ਜਾਤ, ਲਿੰਗ, ਉਮਰ, ਅਪੰਗਤਾ ਜਾਂ ਦਿੱਖ ਦੇ ਅਧਾਰ ਉੱਤੇ ਹਮਲੇ।\n"
            "- **ਜਿਨਸੀ ਪਰੇਸ਼ਾਨੀ**: ਅਣਚਾਹਿਆ ਜਿਨਸੀ ਧਿਆਨ, ਟਿੱਪਣੀਆਂ ਜਾਂ ਤਸਵੀਰਾਂ।\n"
            "- **ਨਿੱਜੀ ਜਾਣਕਾਰੀ ਜ਼ਾਹਰ ਕਰਨਾ**: ਕਿਸੇ ਦਾ ਅਸਲੀ ਨਾਂ, ਪਤਾ, ਕੰਮ ਦੀ ਥਾਂ ਜਾਂ ਤਸਵੀਰਾਂ ਸਾਂਝੀਆਂ ਕਰਨਾ ਜੋ ਉਸ ਨੇ "
            "ਇੱਥੇ ਜਨਤਕ ਨਹੀਂ ਕੀਤੀਆਂ।\n"
            "- **ਤਾਕਤ ਦੀ ਦੁਰਵਰਤੋਂ**: ਕਿਸੇ ਭੂਮਿਕਾ ਜਾਂ ਸੰਚਾਲਕ ਦੇ ਟੂਲ ਨੂੰ ਨਿੱਜੀ ਝਗੜੇ ਲਈ ਵਰਤਣਾ।\n"
            "- **ਧੋਖਾ**: ਕਿਸੇ ਹੋਰ ਦਾ ਭੇਸ ਧਾਰਨਾ, ਨਕਲੀ ਹਮਾਇਤ ਲਈ ਕਈ ਖਾਤੇ ਵਰਤਣਾ, ਜਾਣ-ਬੁੱਝ ਕੇ ਝੂਠ ਫੈਲਾਉਣਾ ਜਾਂ ਸਪੈਮ।\n"
            "- **ਤੋੜ-ਫੋੜ**: ਜਾਣ-ਬੁੱਝ ਕੇ ਚਰਚਾਵਾਂ ਵਿੱਚ ਵਿਘਨ ਪਾਉਣਾ ਜਾਂ ਸਾਂਝੀ ਸਮੱਗਰੀ ਖ਼ਰਾਬ ਕਰਨਾ।\n\n"
            "## ਸੰਹਿਤਾ ਟੁੱਟਣ ਉੱਤੇ ਕੀ ਹੁੰਦਾ ਹੈ\n\n"
            "ਸੰਚਾਲਕ ਭਾਈਚਾਰੇ ਦੇ ਵਲੰਟੀਅਰ ਅਤੇ ਸਾਈਟ ਦਾ ਸਟਾਫ਼ ਹਨ। ਉਹ ਕੋਈ ਪੋਸਟ ਲੁਕਾ ਸਕਦੇ ਹਨ, ਕਿਸੇ ਮੈਂਬਰ ਨੂੰ ਨਿੱਜੀ ਤੌਰ "
            "ਉੱਤੇ ਚੇਤਾਵਨੀ ਦੇ ਸਕਦੇ ਹਨ, ਖਾਤੇ ਨੂੰ ਕੁਝ ਸਮੇਂ ਲਈ ਚੁੱਪ ਕਰਾ ਸਕਦੇ ਹਨ ਜਾਂ ਮੁਅੱਤਲ ਕਰ ਸਕਦੇ ਹਨ। ਪਹਿਲੀ ਛੋਟੀ "
            "ਗ਼ਲਤੀ ਉੱਤੇ ਆਮ ਤੌਰ ਉੱਤੇ ਦੋਸਤਾਨਾ ਗੱਲ ਹੁੰਦੀ ਹੈ; ਵਾਰ-ਵਾਰ ਜਾਂ ਗੰਭੀਰ ਨੁਕਸਾਨ ਉੱਤੇ ਸਖ਼ਤ ਕਾਰਵਾਈ। ਹਰ ਕਾਰਵਾਈ "
            "ਇੱਕ ਲੌਗ ਵਿੱਚ ਦਰਜ ਹੁੰਦੀ ਹੈ।\n\n"
            "## ਸਮੱਸਿਆ ਦੀ ਸ਼ਿਕਾਇਤ ਕਿਵੇਂ ਕਰੀਏ\n\n"
            "- ਪੋਸਟ ਉੱਤੇ ਝੰਡਾ ਲਾਓ: ਇਹ ਸੰਚਾਲਕਾਂ ਦੀ ਸਮੀਖਿਆ ਕਤਾਰ ਵਿੱਚ ਜਾਂਦਾ ਹੈ।\n"
            "- ਹਰ ਸਫ਼ੇ ਦੇ ਹੇਠਾਂ *ਸੰਚਾਲਕਾਂ ਨੂੰ ਸੁਨੇਹਾ* ਰਾਹੀਂ ਲਿਖੋ। ਲੋੜ ਹੋਵੇ ਤਾਂ ਬਿਨਾਂ ਨਾਂ ਦੇ ਵੀ ਲਿਖ ਸਕਦੇ ਹੋ।\n"
            "- ਜੇ ਕੋਈ ਫ਼ੌਰੀ ਖ਼ਤਰੇ ਵਿੱਚ ਹੈ, ਤਾਂ ਪਹਿਲਾਂ ਸਥਾਨਕ ਐਮਰਜੈਂਸੀ ਸੇਵਾਵਾਂ ਨਾਲ ਸੰਪਰਕ ਕਰੋ।\n\n"
            "## ਇਸ ਸੰਹਿਤਾ ਵਿੱਚ ਬਦਲਾਅ\n\n"
            "ਸਟਾਫ਼ ਕਦੇ ਵੀ ਸ਼ਬਦਾਂ ਨੂੰ ਬਿਹਤਰ ਕਰ ਸਕਦਾ ਹੈ; ਹਰ ਬਦਲਾਅ ਇਸ ਸਫ਼ੇ ਦੇ ਇਤਿਹਾਸ ਵਿੱਚ ਹੈ। ਜਦੋਂ ਬਦਲਾਅ ਮੈਂਬਰਾਂ ਤੋਂ "
            "ਮੰਗੀਆਂ ਗੱਲਾਂ ਨੂੰ ਬਦਲਦਾ ਹੈ, ਤਾਂ ਹਰ ਕਿਸੇ ਨੂੰ ਅਗਲੀ ਫੇਰੀ ਉੱਤੇ ਨਵਾਂ ਸੰਸਕਰਣ ਪੜ੍ਹ ਕੇ ਮੰਨਣ ਲਈ ਕਿਹਾ ਜਾਂਦਾ ਹੈ।",
        ),
    },
}
