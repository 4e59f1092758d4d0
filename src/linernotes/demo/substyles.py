"""Sub-styles planted inside each demo style: micro-genre sets with their own era and
sound, the second level of structure a genre page's clusters should find."""

from __future__ import annotations

from dataclasses import dataclass

from linernotes.demo.styles import FEATURE_SD, FEATURES, STYLES


@dataclass(frozen=True)
class SubStyle:
    """A micro-genre inside a style: its own genre set, slice of the style's era and
    sound (``shift``: feature name → offset in noise widths, ``FEATURE_SD``)."""

    id: str
    name: str
    style: int
    genres: tuple[str, ...]
    era: tuple[int, int]
    shift: tuple[tuple[str, float], ...]

    def offsets(self) -> tuple[float, ...]:
        """The shift in feature units, in ``FEATURES`` order."""
        given = dict(self.shift)
        return tuple(given.get(f, 0.0) * sd for f, sd in zip(FEATURES, FEATURE_SD, strict=True))


# Per style: (id, name, genre set, sound) of each sub-style, in era order (each takes
# the next slice of its style's era). A sub-style differs from its neighbours in its
# genre set, its years and two or three features about three noise widths apart, less
# than styles differ from each other, so a playlist still splits by style first.
# fmt: off
_SUBS: dict[str, tuple[tuple[str, str, tuple[str, ...], tuple[tuple[str, float], ...]], ...]] = {
    "bebop": (
        ("bebop-classic", "Fast Bebop", ("bebop",), (("tempo", 3.0), ("energy", 2.5))),
        ("bebop-hard", "Hard Bop", ("bebop", "hard bop"), (("loudness", 3.0), ("valence", -2.5))),
        ("bebop-soul", "Soul Jazz", ("hard bop", "cool jazz"),
         (("danceability", 3.0), ("instrumentalness", -2.5))),
        ("bebop-cool", "West Coast Cool", ("cool jazz",), (("energy", -3.0), ("tempo", -3.0))),
    ),
    "bossa": (
        ("bossa-nova", "Bossa Nova", ("bossa nova",), (("acousticness", 1.5), ("tempo", -2.5))),
        ("bossa-chanson", "Rive Gauche", ("bossa nova", "chanson"),
         (("valence", -3.0), ("speechiness", 2.5))),
        ("bossa-tropical", "Tropicália", ("chanson", "mpb"),
         (("energy", 3.0), ("danceability", 2.5))),
        ("bossa-mpb", "MPB Ballads", ("mpb",), (("acousticness", -3.0), ("loudness", 3.0))),
    ),
    "citypop": (
        ("citypop-funk", "City Funk", ("city pop",), (("danceability", 2.5), ("tempo", 2.5))),
        ("citypop-aor", "Resort AOR", ("city pop", "j-pop"),
         (("energy", -3.0), ("acousticness", 2.5))),
        ("citypop-idol", "Idol Kayō", ("j-pop",), (("valence", 2.5), ("loudness", 3.0))),
    ),
    "classical": (
        ("classical-baroque", "Baroque Revival", ("baroque",),
         (("tempo", 3.0), ("energy", 2.5))),
        ("classical-minimal", "Minimalism", ("baroque", "modern classical"),
         (("instrumentalness", 1.5), ("valence", 2.5))),
        ("classical-neo", "Neo-Classical Piano", ("modern classical", "ambient"),
         (("loudness", -3.0), ("tempo", -2.5))),
        ("classical-drone", "Drone Ambient", ("ambient",),
         (("acousticness", -3.0), ("danceability", -2.5))),
    ),
    "club": (
        ("club-house", "Deep House", ("deep house",), (("tempo", -3.0), ("valence", 2.5))),
        ("club-minimal", "Minimal House", ("deep house", "techno"),
         (("energy", -2.5), ("danceability", 2.5))),
        ("club-techno", "Warehouse Techno", ("techno", "drum and bass"),
         (("valence", -3.0), ("loudness", 2.5))),
        ("club-dnb", "Liquid Drum and Bass", ("drum and bass",),
         (("tempo", 4.0), ("instrumentalness", -3.0))),
    ),
    "neosoul": (
        ("neosoul-classic", "Neo Soul", ("neo soul",), (("speechiness", 2.5), ("tempo", -2.5))),
        ("neosoul-broken", "Broken Beat", ("neo soul", "nu jazz"),
         (("tempo", 3.0), ("energy", 2.5))),
        ("neosoul-acid", "Acid Jazz Revival", ("nu jazz", "acid jazz"),
         (("instrumentalness", 3.0), ("danceability", 2.5))),
        ("neosoul-lounge", "Lounge Jazz", ("acid jazz",),
         (("energy", -3.0), ("acousticness", 3.0))),
    ),
    "israeli": (
        ("israeli-pop", "Tel Aviv Pop", ("israeli pop",),
         (("valence", 2.5), ("danceability", 2.5))),
        ("israeli-rock", "Hebrew Rock", ("israeli pop", "hebrew rock"),
         (("loudness", 2.5), ("acousticness", -2.0), ("valence", -2.0))),
        ("israeli-folk", "Folk Rock", ("hebrew rock", "mizrahi"),
         (("acousticness", 3.0), ("energy", -2.5))),
        ("israeli-mizrahi", "Mizrahi Dance", ("mizrahi",), (("tempo", 3.0), ("speechiness", 2.5))),
    ),
    "indie": (
        ("indie-rock", "Indie Rock", ("indie rock",),
         (("valence", 2.5), ("instrumentalness", -2.5))),
        ("indie-shoegaze", "Shoegaze", ("indie rock", "shoegaze"),
         (("instrumentalness", 3.0), ("tempo", -3.0), ("loudness", 1.5))),
        ("indie-postpunk", "Post-Punk Revival", ("indie rock", "post-punk"),
         (("tempo", 3.0), ("danceability", 3.0))),
    ),
    "folk": (
        ("folk-indie", "Indie Folk", ("indie folk",), (("valence", 3.0), ("tempo", 2.5))),
        ("folk-cabin", "Cabin Folk", ("indie folk", "nordic folk"),
         (("energy", -2.5), ("loudness", -2.5))),
        ("folk-kveding", "Kveding", ("nordic folk", "chamber folk"),
         (("speechiness", 2.5), ("instrumentalness", -1.5), ("danceability", -2.5))),
        ("folk-chamber", "Chamber Folk", ("chamber folk",),
         (("instrumentalness", 3.0), ("energy", 2.5))),
    ),
    "kpop": (
        ("kpop-dance", "Dance K-Pop", ("k-pop",), (("tempo", 3.0), ("energy", 1.5))),
        ("kpop-ballad", "K-Ballad", ("k-pop", "korean r&b"),
         (("energy", -3.5), ("acousticness", 3.0))),
        ("kpop-rnb", "Korean R&B", ("korean r&b",), (("tempo", -3.0), ("speechiness", 2.5))),
    ),
    "latin": (
        ("latin-reggaeton", "Perreo", ("reggaeton",), (("speechiness", 3.0), ("loudness", 2.5))),
        ("latin-urbano", "Latin Urbano", ("reggaeton", "latin pop"),
         (("valence", -3.0), ("tempo", 2.5))),
        ("latin-pop", "Latin Pop", ("latin pop", "cumbia"),
         (("acousticness", 2.5), ("speechiness", -1.5))),
        ("latin-cumbia", "Cumbia Sonidera", ("cumbia",), (("tempo", 4.0), ("danceability", 1.5))),
    ),
    "hiphop": (
        ("hiphop-trap", "Trap", ("trap",), (("tempo", 4.0), ("energy", 2.5))),
        ("hiphop-boombap", "Boom Bap", ("trap", "boom bap"),
         (("speechiness", 2.5), ("acousticness", 2.5), ("tempo", -2.0))),
        ("hiphop-underground", "Underground", ("trap", "underground hip hop"),
         (("valence", -3.0), ("danceability", -2.5))),
    ),
}
# fmt: on


def _sub_styles() -> tuple[SubStyle, ...]:
    subs = []
    for index, style in enumerate(STYLES):
        given = _SUBS[style.id]
        low, high = style.era
        step = (high - low + 1) / len(given)
        for n, (sub_id, name, genres, shift) in enumerate(given):
            era = (low + round(n * step), low + round((n + 1) * step) - 1)
            subs.append(SubStyle(sub_id, name, index, genres, era, shift))
    return tuple(subs)


SUB_STYLES = _sub_styles()
