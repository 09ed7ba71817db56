"""Languages content can be written in (BCP 47 tags with their own names), for lang attributes and pickers."""

CONTENT_LANGUAGES: list[tuple[str, str]] = [
    ("af", "Afrikaans"), ("am", "አማርኛ"), ("ar", "العربية"), ("as", "অসমীয়া"), ("az", "Azərbaycanca"),
    ("be", "Беларуская"), ("bg", "Български"), ("bn", "বাংলা"), ("br", "Brezhoneg"), ("bs", "Bosanski"),
    ("ca", "Català"), ("cs", "Čeština"), ("cy", "Cymraeg"), ("da", "Dansk"), ("de", "Deutsch"),
    ("el", "Ελληνικά"), ("en", "English"), ("eo", "Esperanto"), ("es", "Español"), ("et", "Eesti"),
    ("eu", "Euskara"), ("fa", "فارسی"), ("fi", "Suomi"), ("fr", "Français"), ("ga", "Gaeilge"),
    ("gl", "Galego"), ("gu", "ગુજરાતી"), ("ha", "Hausa"), ("he", "עברית"), ("hi", "हिन्दी"),
    ("hr", "Hrvatski"), ("hu", "Magyar"), ("hy", "Հայերեն"), ("id", "Bahasa Indonesia"), ("ig", "Igbo"),
    ("is", "Íslenska"), ("it", "Italiano"), ("ja", "日本語"), ("ka", "ქართული"), ("kk", "Қазақша"),
    ("km", "ភាសាខ្មែរ"), ("kn", "ಕನ್ನಡ"), ("ko", "한국어"), ("ku", "Kurdî"), ("ky", "Кыргызча"),
    ("lt", "Lietuvių"), ("lv", "Latviešu"), ("mk", "Македонски"), ("ml", "മലയാളം"), ("mn", "Монгол"),
    ("mr", "मराठी"), ("ms", "Bahasa Melayu"), ("my", "မြန်မာဘာသာ"), ("ne", "नेपाली"), ("nl", "Nederlands"),
    ("no", "Norsk"), ("or", "ଓଡ଼ିଆ"), ("pa", "ਪੰਜਾਬੀ"), ("pl", "Polski"), ("ps", "پښتو"),
    ("pt", "Português"), ("pt-BR", "Português do Brasil"), ("qu", "Runa Simi"), ("ro", "Română"),
    ("ru", "Русский"), ("sa", "संस्कृतम्"), ("si", "සිංහල"), ("sk", "Slovenčina"), ("sl", "Slovenščina"),
    ("so", "Soomaali"), ("sq", "Shqip"), ("sr", "Српски / srpski"), ("sv", "Svenska"), ("sw", "Kiswahili"),
    ("ta", "தமிழ்"), ("te", "తెలుగు"), ("th", "ไทย"), ("tl", "Tagalog"), ("tr", "Türkçe"),
    ("uk", "Українська"), ("ur", "اردو"), ("uz", "Oʻzbekcha"), ("vi", "Tiếng Việt"), ("yo", "Yorùbá"),
    ("zh", "中文"), ("zh-Hans", "中文（简体）"), ("zh-Hant", "中文（繁體）"), ("zu", "isiZulu"),
]  # fmt: skip

CONTENT_LANGUAGE_CODES = frozenset(code for code, _name in CONTENT_LANGUAGES)
