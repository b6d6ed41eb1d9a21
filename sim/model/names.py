"""Container names and IDs the way the Docker daemon makes them.

Ports, with all randomness drawn from a caller's ``random.Random`` so runs replay exactly:

* moby ``pkg/namesgenerator/names-generator.go`` (``GetRandomName``; the lists are frozen, see
  moby PR 43210, and match ``internal/namesgenerator`` in the v2 tree),
* moby ``daemon/names.go`` (``generateAndReserveName``: six tries, then the short ID),
* moby ``pkg/stringid/stringid.go`` (``GenerateRandomID``, ``TruncateID``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Container

from .errors import DockerError, InvalidParameter

# fmt: off
#: Adjectives, in moby's order (``left`` in names-generator.go).
LEFT: tuple[str, ...] = (
    "admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome", "beautiful",
    "blissful", "bold", "boring", "brave", "busy", "charming", "clever", "compassionate",
    "competent", "condescending", "confident", "cool", "cranky", "crazy", "dazzling",
    "determined", "distracted", "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant",
    "eloquent", "epic", "exciting", "fervent", "festive", "flamboyant", "focused", "friendly",
    "frosty", "funny", "gallant", "gifted", "goofy", "gracious", "great", "happy", "hardcore",
    "heuristic", "hopeful", "hungry", "infallible", "inspiring", "intelligent", "interesting",
    "jolly", "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "modest",
    "musing", "mystifying", "naughty", "nervous", "nice", "nifty", "nostalgic", "objective",
    "optimistic", "peaceful", "pedantic", "pensive", "practical", "priceless", "quirky",
    "quizzical", "recursing", "relaxed", "reverent", "romantic", "sad", "serene", "sharp",
    "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender",
    "thirsty", "trusting", "unruffled", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly",
    "wonderful", "xenodochial", "youthful", "zealous", "zen",
)

#: Notable scientists and hackers, in moby's order (``right`` in names-generator.go).
RIGHT: tuple[str, ...] = (
    "agnesi", "albattani", "allen", "almeida", "antonelli", "archimedes", "ardinghelli",
    "aryabhata", "austin", "babbage", "banach", "banzai", "bardeen", "bartik", "bassi", "beaver",
    "bell", "benz", "bhabha", "bhaskara", "black", "blackburn", "blackwell", "bohr", "booth",
    "borg", "bose", "bouman", "boyd", "brahmagupta", "brattain", "brown", "buck", "burnell",
    "cannon", "carson", "cartwright", "carver", "cerf", "chandrasekhar", "chaplygin", "chatelet",
    "chatterjee", "chaum", "chebyshev", "clarke", "cohen", "colden", "cori", "cray", "curie",
    "curran", "darwin", "davinci", "dewdney", "dhawan", "diffie", "dijkstra", "dirac",
    "driscoll", "dubinsky", "easley", "edison", "einstein", "elbakyan", "elgamal", "elion",
    "ellis", "engelbart", "euclid", "euler", "faraday", "feistel", "fermat", "fermi", "feynman",
    "franklin", "gagarin", "galileo", "galois", "ganguly", "gates", "gauss", "germain",
    "goldberg", "goldstine", "goldwasser", "golick", "goodall", "gould", "greider",
    "grothendieck", "haibt", "hamilton", "haslett", "hawking", "heisenberg", "hellman",
    "hermann", "herschel", "hertz", "heyrovsky", "hodgkin", "hofstadter", "hoover", "hopper",
    "hugle", "hypatia", "ishizaka", "jackson", "jang", "jemison", "jennings", "jepsen",
    "johnson", "joliot", "jones", "kalam", "kapitsa", "kare", "keldysh", "keller", "kepler",
    "khayyam", "khorana", "kilby", "kirch", "knuth", "kowalevski", "lalande", "lamarr",
    "lamport", "leakey", "leavitt", "lederberg", "lehmann", "lewin", "lichterman", "liskov",
    "lovelace", "lumiere", "mahavira", "margulis", "matsumoto", "maxwell", "mayer", "mccarthy",
    "mcclintock", "mclaren", "mclean", "mcnulty", "meitner", "mendel", "mendeleev", "meninsky",
    "merkle", "mestorf", "mirzakhani", "montalcini", "moore", "morse", "moser", "murdock",
    "napier", "nash", "neumann", "newton", "nightingale", "nobel", "noether", "northcutt",
    "noyce", "panini", "pare", "pascal", "pasteur", "payne", "perlman", "pike", "poincare",
    "poitras", "proskuriakova", "ptolemy", "raman", "ramanujan", "rhodes", "ride", "ritchie",
    "robinson", "roentgen", "rosalind", "rubin", "saha", "sammet", "sanderson", "satoshi",
    "shamir", "shannon", "shaw", "shirley", "shockley", "shtern", "sinoussi", "snyder",
    "solomon", "spence", "stonebraker", "sutherland", "swanson", "swartz", "swirles", "taussig",
    "tesla", "tharp", "thompson", "torvalds", "tu", "turing", "varahamihira", "vaughan",
    "villani", "visvesvaraya", "volhard", "wescoff", "wilbur", "wiles", "williams",
    "williamson", "wilson", "wing", "wozniak", "wright", "wu", "yalow", "yonath", "zhukovsky",
)
# fmt: on

#: Attempts at a random name before the daemon gives up and uses the short ID (daemon/names.go).
NAME_ATTEMPTS = 6
#: Length of a short (truncated) ID, ``shortLen`` in pkg/stringid.
SHORT_ID_LEN = 12
#: moby container/view.go ``ErrNameReserved``; returned when even the short ID is taken.
NAME_RESERVED = "name is reserved"


def random_name(rng: random.Random, retry: int = 0) -> str:
    """GetRandomName: ``adjective_surname``, never ``boring_wozniak`` ("Steve Wozniak is not
    boring"), with one random digit appended when ``retry`` > 0 so retries can escape a
    collision."""
    while True:
        name = f"{LEFT[rng.randrange(len(LEFT))]}_{RIGHT[rng.randrange(len(RIGHT))]}"
        if name != "boring_wozniak":
            break
    if retry > 0:
        name += str(rng.randrange(10))
    return name


def generate_name(rng: random.Random, taken: Container[str], fallback_id: str) -> str:
    """The daemon's generateAndReserveName: try ``random_name(rng, i)`` for i = 0..5 and keep the
    first free one; after six collisions fall back to the container's short ID.

    Names are returned without moby's leading ``/``; ``taken`` may hold either form. Raises
    ``DockerError("name is reserved")`` if even the short ID is taken, as ReserveName would.
    """
    for attempt in range(NAME_ATTEMPTS):
        name = random_name(rng, attempt)
        if not _is_taken(name, taken):
            return name
    name = truncate_id(fallback_id)
    if _is_taken(name, taken):
        raise DockerError(NAME_RESERVED)
    return name


def _is_taken(name: str, taken: Container[str]) -> bool:
    return name in taken or f"/{name}" in taken


def random_hex_id(rng: random.Random) -> str:
    """GenerateRandomID: 32 random bytes as 64 hex digits, drawn again while the 12-character
    short form is all digits, because the short ID becomes the container's default hostname and
    an all-numeric hostname breaks resolvers (moby issue 3869)."""
    while True:
        candidate = rng.randbytes(32).hex()
        if not _all_num(candidate[:SHORT_ID_LEN]):
            return candidate


def _all_num(text: str) -> bool:
    """stringid.allNum: only the ASCII digits 0-9 (str.isdigit would accept other scripts)."""
    return all("0" <= c <= "9" for c in text)


def truncate_id(id: str) -> str:
    """TruncateID: drop everything up to the first ``:`` (the ``sha256:`` algorithm prefix),
    then keep the first 12 characters, the short form ``docker ps`` shows."""
    _, sep, rest = id.partition(":")
    if sep:
        id = rest
    return id[:SHORT_ID_LEN]


#: moby ``daemon/names`` ``RestrictedNameChars``: the rule for container and local volume names.
RESTRICTED_NAME_CHARS = "[a-zA-Z0-9][a-zA-Z0-9_.-]"
# Docker's pattern is ``^[a-zA-Z0-9][a-zA-Z0-9_.-]+$``, so it also refuses a one-character
# name; dockersim still accepts one (its own tests and lessons use them), the characters not.
_RESTRICTED_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*")


def check_container_name(name: str) -> None:
    """moby ``reserveName``: the name as typed (a leading ``/`` allowed) in the message."""
    if not _RESTRICTED_NAME.fullmatch(name.removeprefix("/")):
        raise InvalidParameter(f"Invalid container name ({name}), only "
                               f"{RESTRICTED_NAME_CHARS} are allowed")


def check_volume_name(name: str) -> None:
    """moby ``volume/local`` ``validateName``, wrapped as the volume service reports it."""
    if not _RESTRICTED_NAME.fullmatch(name):
        raise InvalidParameter(f'create {name}: "{name}" includes invalid characters for a local '
                               f'volume name, only "{RESTRICTED_NAME_CHARS}" are allowed. If you '
                               "intended to pass a host directory, use absolute path")
