"""Invented, multilingual name pools for the demo library (including hostile names)."""

from __future__ import annotations

import random
import unicodedata


def _words(text: str) -> tuple[str, ...]:
    """Split a '|'-separated pool into NFC words (pools may hold spaces inside a word)."""
    return tuple(unicodedata.normalize("NFC", w.strip()) for w in text.split("|") if w.strip())


def _pick(rnd: random.Random, pool: tuple[str, ...]) -> str:
    return pool[rnd.randrange(len(pool))]


_EN_ADJ = _words(
    "Midnight|Velvet|Hollow|Golden|Silver|Electric|Broken|Tender|Distant|Quiet|Wild|Blue|Slow|"
    "Paper|Glass|Neon|Static|Amber|Crimson|Violet|Lonely|Restless|Endless|Burning|Frozen|"
    "Secret|Hidden|Sacred|Borrowed|Faded|Northern|Southern|Copper|Marble|Cotton|Sleepless"
)
_EN_NOUN = _words(
    "River|Signal|Harbor|Winter|Summer|Motel|Highway|Lantern|Fever|Honey|Mirror|Thunder|"
    "Garden|Ghost|Echo|Orchard|Satellite|Ember|Cathedral|Window|Letter|Ocean|Season|Shadow|"
    "Morning|Island|Engine|Parade|Heartbeat|Skyline|Avenue|Lighthouse|Telephone|Carousel|"
    "Comet|Meadow|Tide|Wire|Daydream|Postcard"
)
_ES = _words(
    "Corazón|Noche|Fuego|Luna|Calle|Mañana|Cielo|Sueño|Playa|Morena|Vida|Amor|Canción|Sol|"
    "Lluvia|Pasión|Fiesta|Ojos|Besos|Ritmo|Loco|Dinero|Año Nuevo|Señal|Bailando|Caliente|"
    "Contigo|Sin Ti|Perreo|Niña|Ilusión|Tú y Yo"
)
_PT = _words(
    "Saudade|Coração|Mar|Menina|Samba|Tarde|Sol|Canção|Chuva|Amor|Garota|Verão|Praia|Céu|"
    "Você|Lua|Manhã|Ilusão|Estrada|Beijo|Violão|Solidão|Maré|Açúcar|Não Sei"
)
_FR = _words(
    "Été|Rêve|Café|Soleil|Nuit|Chérie|Mélodie|Amour|Ciel|Rivière|Fenêtre|Chanson|Hiver|"
    "Étoile|Cœur|Ville|Déjà|Là-bas|Ça Va|Élégie|Printemps|Mémoire|Garçon|Sœur"
)
_NORDIC = _words(
    "Fjord|Skog|Søndag|Vår|Høst|Lys|Sjø|Vinter|Fjell|Stjerne|Mørke|Hjem|Sånger|Älv|Tystnad|"
    "Björk|Hav|Natt|Morgon|Kråka|Øya|Måne|Snø|Blåbær|Ærlig|Midtsommar|Fyrtårn"
)
_DE = _words(
    "Straße|Größe|Nächte|Grüße|Fußweg|Über|Müde|Glück|Träume|Süß|Nachtschicht|Übergang|"
    "Fernweh|Lichtspiel|Großstadt|Stromausfall|Rückkopplung|Tiefgarage|Weißrauschen"
)
_KO = _words(
    "사랑|하늘|별빛|꿈|밤|여름|바다|우리|비밀|노래|마음|오늘|기억|달빛|첫눈|봄날|안녕|그대|"
    "시간|너와 나|빛|소나기|파도|불꽃|거울|새벽|약속"
)
_JA_KANJI = _words(
    "夜|街|海|風|恋|夢|光|雨|空|星|月|東京|真夜中|夏|季節|涙|約束|都会|黄昏|微笑み|横浜|渚|花火"
)
_JA_KANA = _words(
    "ドライブ|プラスティック|ラブ|サマー|ミッドナイト|シティ|ステーション|ダンス|きらきら|"
    "さよなら|ありがとう|ふたり|まぼろし|ときめき|ハイウェイ|リゾート|ウインク|サンセット"
)
_HE = _words(
    "אהבה|לילה|ים|שמש|חלום|עיר|רחוב|שיר|לב|זמן|אור|בית|דרך|גשם|קיץ|עכשיו|מחר|שקט|חופש|רוח|"
    "כוכבים|נשמה|תל אביב|ירושלים"
)
_CLASSICAL_FORM = _words("Sonata|Concerto|Partita|Suite|Prélude|Fugue|String Quartet|Nocturne")
_CLASSICAL_KEY = _words(
    "C major|D minor|F-sharp minor|E-flat major|B minor|G major|A minor|B-flat major"
)
_CLASSICAL_MOVE = _words(
    "Allegro|Adagio|Andante con moto|Largo|Presto|Allegro ma non troppo|Menuett|Gigue|Sarabande"
)
_EMOJI = _words("🌙|🔥|💚|🌊|✨|🎧|☀️|💔")


def _en_title(rnd: random.Random) -> str:
    adj, noun, other = _pick(rnd, _EN_ADJ), _pick(rnd, _EN_NOUN), _pick(rnd, _EN_NOUN)
    forms = (
        f"{adj} {noun}",
        noun,
        f"{adj} {noun}s",
        f"The {noun}",
        f"{noun} in the {other}",
        adj,
        f"{noun} & {other}",
        f"Love Like {noun}s",
    )
    return _pick(rnd, forms)


def _pool_title(rnd: random.Random, pool: tuple[str, ...], joiner: str = " ") -> str:
    words = [_pick(rnd, pool) for _ in range(rnd.choice((1, 1, 2, 2, 3)))]
    title = joiner.join(dict.fromkeys(words))
    return title[:1].upper() + title[1:]


def _ja_title(rnd: random.Random) -> str:
    kanji, kana = _pick(rnd, _JA_KANJI), _pick(rnd, _JA_KANA)
    forms = (
        f"{kanji}の{kana}",
        f"{kana}・{_pick(rnd, _JA_KANA)}",
        kanji + _pick(rnd, _JA_KANJI),
        kana,
        f"{kanji}に{kana}",
    )
    return _pick(rnd, forms)


def _classical_title(rnd: random.Random) -> str:
    form, key = _pick(rnd, _CLASSICAL_FORM), _pick(rnd, _CLASSICAL_KEY)
    number, opus, move = rnd.randint(1, 12), rnd.randint(2, 120), rnd.randint(1, 4)
    movement = ("I", "II", "III", "IV")[move - 1]
    return f"{form} No. {number} in {key}, Op. {opus}: {movement}. {_pick(rnd, _CLASSICAL_MOVE)}"


def _jazz_title(rnd: random.Random) -> str:
    forms = (
        f"Blues for {_pick(rnd, _JAZZ_FIRST)}",
        f"{_pick(rnd, _EN_NOUN)} Bounce",
        f"{_pick(rnd, _EN_ADJ)} {_pick(rnd, _EN_NOUN)}",
        f"{_pick(rnd, _EN_NOUN)} Walk",
        f"Round About {_pick(rnd, _EN_NOUN)}",
    )
    return _pick(rnd, forms)


def make_title(rnd: random.Random, language: str) -> str:
    """Return an invented track or album title in ``language`` (a key of the style table)."""
    if language == "en":
        title = _en_title(rnd)
    elif language == "en_upper":
        title = _en_title(rnd).upper()
    elif language == "ja":
        title = _ja_title(rnd)
    elif language == "ko":
        title = _pool_title(rnd, _KO_TITLE_POOL)
    elif language == "classical":
        title = _classical_title(rnd)
    elif language == "jazz":
        title = _jazz_title(rnd)
    else:
        title = _pool_title(rnd, _LANG_POOLS[language])
    if rnd.random() < 0.005:
        title = f"{title} {_pick(rnd, _EMOJI)}"
    return unicodedata.normalize("NFC", title)


_KO_TITLE_POOL = _KO
_LANG_POOLS = {"es": _ES, "pt": _PT, "fr": _FR, "nordic": _NORDIC, "de": _DE, "he": _HE}

_JAZZ_FIRST = _words("Clarence|Horace|Lester|Dexter|Wardell|Sonny|Hank|Curtis|Otis|Roland|Ida|Mae")
_JAZZ_LAST = _words("Whitfield|Mabry|Coleridge|Hollis|Pettaway|Brannigan|Greer|Lomax|Fontaine")
_COMBO = _words("Quartet|Quintet|Trio|Sextet|Big Band|& His Orchestra")
_PT_FIRST = _words("João|Antônio|Maria|Luíza|Gilberto|Conceição|Tomé|Inês|Sebastião|Íris")
_PT_LAST = _words("Almeida|Brandão|Araújo|Falcão|Guimarães|Simões|Magalhães|Assunção")
_FR_FIRST = _words("Élodie|Françoise|Sébastien|Hélène|Jérôme|Amélie|Gaëlle|Noël|Chloé|René")
_FR_LAST = _words("Marchand|Lefèvre|Dubois|Bézier|Gauthier|Mercier|Laurent|Deneuve|Châtel")
_JA_SURNAME = _words("佐藤|鈴木|高橋|田中|渡辺|伊藤|山本|中村|小林|加藤|吉田|松本")
_JA_GIVEN = _words("真理子|由紀|杏里|達郎|亜美|慎二|陽子|健太|美咲|裕子|大貫|妙子")
_JA_ROMAJI_FIRST = _words("Mariko|Yuki|Anri|Tatsuro|Ami|Shinji|Yoko|Kenta|Misaki|Hiroko|Taeko")
_JA_ROMAJI_LAST = _words("Sato|Suzuki|Takahashi|Tanaka|Watanabe|Ito|Yamamoto|Nakamura|Kato")
_CLASSICAL_ENSEMBLE = _words(
    "Ensemble|Quatuor|Kammerorchester|Capella|Orquesta de Cámara|Consort|Sinfonietta"
)
_CLASSICAL_PLACE = _words("Aurora|Élysée|Lübeck-Süd|Nordica|Sevilla|Brügge|Göteborg|Ars Nova")
_NORDIC_FIRST = _words("Sigrid|Astrid|Eirik|Ingrid|Solveig|Bjørn|Håkon|Liv|Maja|Åsa|Søren|Jöns")
_NORDIC_LAST = _words(
    "Østergaard|Lindqvist|Haugen|Bergström|Sæther|Nyström|Ødegård|Fjällström|Dahl|Åkesson"
)
_DE_FIRST = _words("Matthias|Jürgen|Käthe|Lotte|Tobias|Ulrike|Björn|Grete")
_DE_LAST = _words("Großmann|Müller|Schäfer|Weiß|Köhler|Fußbach|Brückner|Bäcker")
_CLUB_PREFIX = _words("Sub|Deep|Night|Hyper|Arc|Mono|Kinetic|Phase|Echo|Tek|Ørbit|Null")
_CLUB_SUFFIX = _words("wave|form|system|theory|shift|lab|unit|mode|field|line|grid|pulse")
_SOUL_FIRST = _words("Amara|Jalen|Nia|Imani|Malik|Zuri|Andre|Keisha|Tariq|Simone|Ayo|Desirée")
_SOUL_LAST = _words("Okafor|Brooks|Wells|Banks|Greene|Mensah|Whitaker|Holloway|Baptiste")
_HE_FIRST = _words("נועה|עומר|יובל|מאיה|איתי|שירה|אורי|תמר|דניאל|הילה")
_HE_LAST = _words("כהן|לוי|מזרחי|פרץ|ביטון|אברהם|פרידמן|שפירא|אזולאי")
_HE_ROMAN_FIRST = _words("Noa|Omer|Yuval|Maya|Itay|Shira|Uri|Tamar|Hila|Ido")
_HE_ROMAN_LAST = _words("Cohen|Levi|Mizrahi|Peretz|Biton|Avraham|Friedman|Shapira|Azulay")
_KO_GROUP_A = _words("LU|STE|AE|NO|XE|VI|KAI|MI|ZE|RO|YU|HA")
_KO_GROUP_B = _words("MINA|LLA|VA|RIZ|ON|NIX|TRA|QUE|RA|BIN|SOL|HAN")
_KO_SURNAME = _words("Kim|Lee|Park|Choi|Jung|Kang|Cho|Yoon|Jang|Lim")
_KO_GIVEN = _words("Ji-woo|Seo-yeon|Min-jun|Ha-eun|Yu-na|Do-hyun|Su-bin|Ye-jin|Tae-oh")
_KO_HANGUL = _words("김하늘|이별빛|박소라|최은비|정다온|강하람|윤슬|한결|새봄|가을비")
_ES_FIRST = _words("Camila|Mateo|Valentina|Santiago|Lucía|Diego|Sofía|Joaquín|Ximena|Tomás")
_ES_LAST = _words("García|Núñez|Peña|Rodríguez|Muñoz|Ortega|Ibáñez|Castaño|Gómez|Báez")
_HIPHOP_PREFIX = _words("Lil|Yung|MC|Big|Kid|Saint|King|Baby")


def _pair(rnd: random.Random, first: tuple[str, ...], last: tuple[str, ...], sep: str = " ") -> str:
    return f"{_pick(rnd, first)}{sep}{_pick(rnd, last)}"


def _artist_by_kind(rnd: random.Random, kind: str) -> str:
    roll = rnd.random()
    if kind == "jazz":
        name = _pair(rnd, _JAZZ_FIRST, _JAZZ_LAST)
        return f"{name} {_pick(rnd, _COMBO)}" if roll < 0.4 else name
    if kind == "bossa":
        if roll < 0.5:
            return _pair(rnd, _PT_FIRST, _PT_LAST)
        return _pair(rnd, _FR_FIRST, _FR_LAST) if roll < 0.9 else f"Trio {_pick(rnd, _PT)}"
    if kind == "ja":
        if roll < 0.5:
            return _pair(rnd, _JA_SURNAME, _JA_GIVEN, "")
        return _pair(rnd, _JA_ROMAJI_FIRST, _JA_ROMAJI_LAST)
    if kind == "classical":
        if roll < 0.4:
            return _pair(rnd, _CLASSICAL_ENSEMBLE, _CLASSICAL_PLACE)
        return (
            _pair(rnd, _DE_FIRST, _DE_LAST)
            if roll < 0.7
            else _pair(rnd, _NORDIC_FIRST, _NORDIC_LAST)
        )
    if kind == "club":
        if roll < 0.6:
            return _pair(rnd, _CLUB_PREFIX, _CLUB_SUFFIX, "")
        return f"DJ {_pick(rnd, _EN_NOUN)}" if roll < 0.8 else _pick(rnd, _DE)
    if kind == "soul":
        return _pair(rnd, _SOUL_FIRST, _SOUL_LAST) if roll < 0.8 else _pick(rnd, _SOUL_FIRST)
    if kind == "he":
        if roll < 0.5:
            return _pair(rnd, _HE_FIRST, _HE_LAST)
        return _pair(rnd, _HE_ROMAN_FIRST, _HE_ROMAN_LAST)
    if kind == "indie":
        if roll < 0.5:
            return f"The {_pick(rnd, _EN_ADJ)} {_pick(rnd, _EN_NOUN)}s"
        return (
            _pair(rnd, _EN_ADJ, _EN_NOUN) if roll < 0.8 else _pair(rnd, _NORDIC_FIRST, _NORDIC_LAST)
        )
    if kind == "nordic":
        if roll < 0.7:
            return _pair(rnd, _NORDIC_FIRST, _NORDIC_LAST)
        return f"{_pick(rnd, _NORDIC)}s {_pick(rnd, _NORDIC)}"
    if kind == "ko":
        if roll < 0.5:
            return _pair(rnd, _KO_GROUP_A, _KO_GROUP_B, "")
        return _pair(rnd, _KO_SURNAME, _KO_GIVEN) if roll < 0.8 else _pick(rnd, _KO_HANGUL)
    if kind == "es":
        if roll < 0.5:
            return _pair(rnd, _ES_FIRST, _ES_LAST)
        return f"Los {_pick(rnd, _ES)}s" if roll < 0.7 else f"La {_pick(rnd, _ES)}"
    name = f"{_pick(rnd, _HIPHOP_PREFIX)} {_pick(rnd, _EN_NOUN)}"
    return name.replace("s", "$", 1) if roll < 0.08 else name


def make_artist_name(rnd: random.Random, kind: str, taken: set[str]) -> str:
    """Return a new artist name of ``kind``, unique after case-folding within ``taken``."""
    for attempt in range(40):
        name = unicodedata.normalize("NFC", _artist_by_kind(rnd, kind))
        if attempt >= 20:
            name = f"{name} {rnd.randint(2, 99)}"
        if name.casefold() not in taken:
            taken.add(name.casefold())
            return name
    raise RuntimeError(f"artist name pool {kind!r} exhausted")  # pragma: no cover


_LABEL_A = _words(
    "Glass|North|Salt|Lantern|Cedar|Copper|Silver|Raven|Amber|Willow|"
    "Iron|Velvet|Paper|Stone|River|Echo|Orchid|Falcon|Birch|Ember|Signal|Tide|Aurora|"
    "Marble|Juniper|Cobalt|Meridian|Hollow|Lumen|Saffron|Indigo|Granite"
)
_LABEL_B = (
    "",
    *_words("hill|wood|field|light|stone|gate|line|side|fall|crest|vale|ridge|mark|way"),
)
_LABEL_KIND = _words("Records|Sound|Music|Recordings|Audio|Tapes|Entertainment|Disques")
# Spellings of one label seen on different releases; "Moonhill Soul" is NOT one of them.
LABEL_ALIASES: dict[str, tuple[str, ...]] = {
    "Moonhill Records": ("Moonhill Records LLC", "MOONHILL RECORDS", "Moonhill Rec."),
    "Kestrel Sound": ("Kestrel Sound Ltd.", "kestrel sound"),
    "Harbor & Pine Music": ("Harbor and Pine Music",),
}
# fmt: off
# (label, style id): hand-picked labels first, so each style's biggest label is one of these.
HAND_LABELS: tuple[tuple[str, str], ...] = (
    ("Moonhill Records", "indie"), ("Kestrel Sound", "club"), ("Harbor & Pine Music", "folk"),
    ("Blue Hour Jazz", "bebop"), ("Selo Maré", "bossa"), ("Sakura Drive Records", "citypop"),
    ("Kammerton Classics", "classical"), ("Velvet Hour Soul", "neosoul"),
    ("Kol Yam Music", "israeli"), ("Hanbit Entertainment", "kpop"),
    ("Casa Tropical Records", "latin"), ("Ledger Street Records", "hiphop"),
    ("Nightcap Records", "bebop"), ("Disques Lumière", "bossa"), ("Neon Tide Music", "citypop"),
    ("Édition Ars Nova", "classical"), ("Tiefton Schallplatten", "club"),
    ("Paper Crane Records", "indie"), ("Nordlys Plater", "folk"), ("Starlit Ent.", "kpop"),
    ("Ruido Sur", "latin"), ("Concrete Tapes", "hiphop"), ("Moonhill Soul", "neosoul"),
    ("Tel Aviv Sound Co.", "israeli"),
)
HOSTILE_LABELS: tuple[tuple[str, str], ...] = (
    ("Pipe|Line Records", "indie"), ("$ignal Audio", "hiphop"), ("[Brackets] Music", "club"),
    ("Star*Dust Sound", "kpop"),
)
# fmt: on


def make_label_names(rnd: random.Random, count: int) -> list[str]:
    """Return ``count`` distinct invented label names, the hand-picked ones first."""
    names = [name for name, _ in HAND_LABELS + HOSTILE_LABELS]
    taken = {name.casefold() for name in names} | {
        alias.casefold() for aliases in LABEL_ALIASES.values() for alias in aliases
    }
    while len(names) < count:
        name = f"{_pick(rnd, _LABEL_A)}{_pick(rnd, _LABEL_B)} {_pick(rnd, _LABEL_KIND)}"
        if name.casefold() not in taken:
            taken.add(name.casefold())
            names.append(name)
    return names
