"""What the demo library plants: latent styles, hostile names, playlists, podcasts, local files."""

from __future__ import annotations

from dataclasses import dataclass

FEATURES = (
    "danceability", "energy", "valence", "acousticness", "instrumentalness", "speechiness",
    "liveness", "loudness", "tempo",
)  # fmt: skip
# Noise around a style's means: sd 0.07 on the 0-1 features, dB and BPM on the last two.
FEATURE_SD = (0.07, 0.07, 0.07, 0.07, 0.07, 0.07, 0.07, 1.5, 8.0)


@dataclass(frozen=True)
class Style:
    """One latent style: genres, audio profile, era and naming habits of its artists.

    ``features`` are the means in ``FEATURES`` order; ``languages`` the share of
    titles per name pool (``names.make_title``); ``countries`` the ISRC
    country codes; ``weight`` the style's relative number of artists.
    """

    id: str
    name: str
    family: str
    genres: tuple[str, ...]
    era: tuple[int, int]
    features: tuple[float, ...]
    duration_s: int
    explicit: float
    languages: tuple[tuple[str, float], ...]
    artist_kind: str
    countries: tuple[str, ...]
    weight: float = 1.0
    suffixes: tuple[str, ...] = ()


# Each style differs from every other in genres, era and audio profile (at least two
# features several noise widths apart), so KMeans on standardised features finds them.
# fmt: off
STYLES: tuple[Style, ...] = (
    Style("bebop", "Late-Night Bebop", "jazz", ("bebop", "hard bop", "cool jazz"), (1955, 1965),
          (0.50, 0.45, 0.62, 0.85, 0.75, 0.06, 0.38, -12.0, 150.0), 330, 0.0,
          (("jazz", 1.0),), "jazz", ("US",), 0.8, (" - Live", " - Alternate Take")),
    Style("bossa", "Bossa & Chanson", "latin", ("bossa nova", "chanson", "mpb"), (1962, 1972),
          (0.62, 0.30, 0.62, 0.85, 0.15, 0.05, 0.15, -14.0, 118.0), 190, 0.0,
          (("pt", 0.55), ("fr", 0.45)), "bossa", ("BR", "FR"), 0.7),
    Style("citypop", "Tokyo City Pop", "pop", ("city pop", "j-pop"), (1977, 1988),
          (0.72, 0.55, 0.85, 0.35, 0.03, 0.04, 0.12, -11.0, 104.0), 255, 0.0,
          (("ja", 0.75), ("en", 0.25)), "ja", ("JP",), 0.8),
    Style("classical", "Modern Classical & Baroque", "classical",
          ("modern classical", "baroque", "ambient"), (1982, 1994),
          (0.22, 0.10, 0.15, 0.96, 0.88, 0.04, 0.10, -24.0, 85.0), 300, 0.0,
          (("classical", 0.6), ("en", 0.2), ("de", 0.2)), "classical", ("DE", "AT", "GB"), 0.7),
    Style("club", "Club Nights", "electronic", ("deep house", "techno", "drum and bass"),
          (1994, 2003), (0.72, 0.90, 0.30, 0.02, 0.85, 0.06, 0.18, -6.0, 140.0), 390, 0.05,
          (("en", 0.6), ("de", 0.4)), "club", ("GB", "DE", "NL"), 1.0,
          (" (Original Mix)", " (Extended Mix)", " - Radio Edit")),
    Style("neosoul", "Neo Soul & Nu Jazz", "jazz", ("neo soul", "nu jazz", "acid jazz"),
          (1997, 2006), (0.70, 0.48, 0.55, 0.40, 0.20, 0.10, 0.12, -9.0, 92.0), 260, 0.25,
          (("en", 1.0),), "soul", ("US", "GB"), 0.8),
    Style("israeli", "Tel Aviv Pop", "pop", ("israeli pop", "hebrew rock", "mizrahi"),
          (2002, 2010), (0.55, 0.80, 0.50, 0.15, 0.01, 0.05, 0.22, -5.5, 126.0), 215, 0.02,
          (("he", 0.7), ("en", 0.3)), "he", ("IL",), 0.6),
    Style("indie", "Indie & Shoegaze", "rock", ("indie rock", "shoegaze", "post-punk"),
          (2006, 2013), (0.38, 0.82, 0.30, 0.06, 0.40, 0.04, 0.25, -6.0, 135.0), 250, 0.1,
          (("en", 1.0),), "indie", ("GB", "US"), 1.2, (" - Demo", " - Live at KEXP")),
    Style("folk", "Nordic Folk", "folk", ("indie folk", "nordic folk", "chamber folk"),
          (2010, 2016), (0.42, 0.28, 0.30, 0.88, 0.10, 0.04, 0.12, -13.0, 100.0), 235, 0.01,
          (("nordic", 0.55), ("en", 0.45)), "nordic", ("NO", "SE", "DK"), 0.9),
    Style("kpop", "K-Pop Bright", "pop", ("k-pop", "korean r&b"), (2016, 2022),
          (0.76, 0.88, 0.70, 0.08, 0.01, 0.07, 0.15, -3.5, 122.0), 200, 0.05,
          (("ko", 0.7), ("en_upper", 0.3)), "ko", ("KR",), 1.2, (" (Inst.)", " (English Ver.)")),
    Style("latin", "Reggaeton & Cumbia", "latin", ("reggaeton", "cumbia", "latin pop"),
          (2018, 2024), (0.82, 0.72, 0.78, 0.18, 0.01, 0.12, 0.10, -4.5, 96.0), 205, 0.35,
          (("es", 0.9), ("en", 0.1)), "es", ("PR", "CO", "MX"), 1.0, (" - Remix",)),
    Style("hiphop", "Trap & Boom Bap", "hip hop", ("trap", "boom bap", "underground hip hop"),
          (2013, 2020), (0.80, 0.60, 0.40, 0.12, 0.02, 0.30, 0.14, -6.5, 88.0), 190, 0.75,
          (("en", 1.0),), "hiphop", ("US",), 1.1, (" - Instrumental",)),
)
# fmt: on
STYLE_INDEX = {style.id: index for index, style in enumerate(STYLES)}


def _exactly(text: str, length: int) -> str:
    """Repeat ``text`` and cut it to ``length`` characters without a trailing space."""
    body = (text * (length // len(text) + 1))[: length - 1].rstrip()
    return body + "." * (length - len(body))


LONG_NAME = _exactly(
    "Live at the Old Harbor Ballroom, Recorded on a Warm Night with the Full Orchestra, "
    "the Choir and Everybody Who Could Fit onto the Stage; ",
    200,
)
# fmt: off
# (name, style id): the first artist of that style gets the name. Covers case-only
# twins, names equal after slugging, markup, path and shell characters, commas
# (Exportify's "\\," escape), a backslash and Windows reserved names.
HOSTILE_ARTISTS: tuple[tuple[str, str], ...] = (
    ("Nova", "kpop"), ("NOVA", "club"), ("Café Noir", "bossa"), ("Cafe Noir", "neosoul"),
    ("$$$", "hiphop"), ("Pipe | Dream", "indie"), ("<script>alert(1)</script>", "latin"),
    ("CON", "folk"), ("Earth, Wind & Static", "bebop"), ("Hank Hollow, Jr.", "citypop"),
    ("Back\\Slash", "israeli"), ("AUX", "classical"),
)
HOSTILE_ALBUMS = (
    "..", "Side A/Side B", "[Untitled] `Tapes`", "Greatest Hits \\ Vol. 2", LONG_NAME,
    "Ça | Va *Deluxe*",
)
HOSTILE_TRACKS = (
    'Say "Cheese"', "...", "$HOME", "*", "a|b|c", "nul", "../../etc/passwd",
    "<b>Bold</b> & <i>Brave</i>", "[Interlude]", "`whoami`", LONG_NAME.replace("Live", "Song", 1),
)
# Interleaved with ordinary names; "CHILL" collides with "Chill" after case-folding.
HOSTILE_PLAYLISTS = (
    "CHILL", "Focus | Deep Work", "<script>alert(1)</script>", "Mix [2024] `final`", "CON",
    "../../escape", "🔥🔥🔥", "$$$", "***",
)
PLAYLIST_NAMES = (
    "Chill", "Late Night Drive 🌙", "Sunday Morning Coffee", "밤 산책", "夏の終わり",
    "Domingo en la playa ☀️", "Søndagsstemning", "שירים לדרך", "Focus Flow", "Gym Rotation",
    "Rainy Day Records", "Dinner Party", "Road Trip 2024", "Throwbacks", "Vinyl Finds",
    "Kitchen Dancing 💃", "Fika", "Nuit blanche", "Saudade", "Jazz for Cold Nights", "Warm-up",
    "Summer '25", "Mood: 🌊", "Songs I'd Save From a Fire", "Morning Run", "Commute",
    "Study Session", "Slow Burn", "Afterhours", "Golden Hour", "Wedding Reception",
    "Mixtape for M.", "New Finds", "Lazy Sunday", "Dance Dance", "On Repeat Forever",
    "Über den Wolken", "Tokyo Nights 東京", "Café Mornings", "Winter Cabin",
)
DESCRIPTIONS = (
    None, None, None, "Late nights & early mornings 🌙", "Updated weekly. No skips allowed.",
    "for M. — you know why", "Curated by me, for me", "Vinyl rips & deep cuts",
    "Songs that sound like <summer>", "Para bailar en la cocina", "밤에 듣는 노래", None,
)
SHOWS: tuple[tuple[str, str], ...] = (
    ("The Liner Notes Hour", "Moonhill Records"), ("Café Crème — Le Podcast", "Radio Lumière"),
    ("음악 이야기", "Hanbit Audio"), ("Deep Dive | Music Nerds", "Indie Talk Co."),
    ("ポッドキャスト東京", "Sakura FM"), ("שיחות על מוזיקה", "Kol Media"),
    ("Crate Diggers", "Ledger Street Media"),
)
EPISODE_TOPICS = (
    "The Making of a Classic", "Why Vinyl Came Back", "Interview: A Session Drummer",
    "Ten Records That Changed Everything", "Live From the Studio", "Listener Mailbag",
    "Sampling, Explained", "Road Stories", "The Sound of 1979", "Año Nuevo Special",
    "Über Klang und Raum", "Q&A: <Your> Questions",
)
# (artist, album, title, seconds) of files played from the person's own disk.
LOCAL_TRACKS: tuple[tuple[str, str, str, int], ...] = (
    ("Mira Solberg", "Kitchen Demos", "Tape Hiss Lullaby", 215),
    ("Los Primos", "Boda de Carmen", "Vals para Ana", 187),
    ("Ørjan Vik", "Øvingsrom", "Første gang", 201),
    ("김하늘", "녹음실", "첫 노래", 233),
    ("Dad's Band", "Garage 1994", "Untitled #3", 312),
    ("Unknown Artist", "Voice Memos", "New Recording 12", 96),
)
# fmt: on
PLATFORMS = ("android", "windows", "ios", "osx", "web_player", "cast")
PLATFORM_SHARE = (0.5, 0.2, 0.12, 0.08, 0.05, 0.05)
