"""Write a corpus of hostile inputs mixed with good articles, for `sayso analyze` as one batch.

    python scripts/make_fuzz_corpus.py OUT [--quick] [--seed N]

Every input is generated here, from invented articles and seeded random bytes: corrupt and
truncated gzip, decompression bombs, endless and deeply nested JSON Lines, lone surrogates,
binary files under text names, file names that are not UTF-8, BOMs, stray bytes among curly
quotes, zero-width and format characters, junk and foreign text, garbage and cut-off feeds, an
unreadable folder, deeply nested quotes. OUT/manifest.json says, for each input, how many error
records it must give (one per bad input, or per bad line or dropped feed entry) and which good
articles it holds, each told by a marker ("ref R-0001") found in its body once stored.
`--quick` leaves out the slowest inputs (the 3 GiB line, 1,000 nested quotes) and shrinks the
big ones, for the test suite.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import json
import os
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"
SUFFIXES = {".txt", ".text", ".html", ".htm", ".jsonl", ".ndjson", ".rss", ".atom", ".xml"}
MIB = 1 << 20

# Invented news stories; {ref} makes each copy a distinct article (bodies are hashed for ids).
STORIES = [
    (
        "Fishermen Block Varnholm Harbour Over Catch Limits",
        "Fishermen in the northern port of Varnholm blocked the harbour entrance on Tuesday, "
        "the coast guard said, in protest at new catch limits.\n\n"
        "\u201cWe cannot feed our families on these quotas,\u201d said Ilse Marten, who chairs "
        "the local fishers\u2019 cooperative. She said the boats would stay until the ministry "
        "agreed to talks.\n\n"
        "The fisheries minister, Tomas Brekke, told reporters that the limits were needed to "
        "protect cod stocks. According to the ministry, catches fell by 18 percent last year.\n\n"
        "A spokesperson for the port authority said ferries had been diverted to a smaller "
        "quay. The complaint was filed as ref {ref}.",
    ),
    (
        "Dunmore Council Approves Budget After Night of Debate",
        "The city council of Dunmore approved a budget of 412 million euros on Thursday after a "
        "debate that lasted most of the night.\n\n"
        "Mayor Helen Achebe said the plan would \u201cprotect every library and every bus "
        "route.\u201d Opposition leader Marcus Dale said the figures did not add up and accused "
        "the mayor of hiding a deficit.\n\n"
        "\u201cThis budget borrows from our children,\u201d Dale told the chamber. According to "
        "the city treasurer, debt will rise by 3 percent over two years.\n\n"
        "The council said a public hearing would be held in March. The budget file is "
        "registered as ref {ref}.",
    ),
    (
        "Kellford Hospital Doctors Strike Over Staffing",
        "Doctors at the regional hospital in Kellford went on strike on Monday, demanding more "
        "staff for the emergency ward.\n\n"
        "\u201cPatients wait twelve hours for a bed,\u201d said Amara Osei, a spokeswoman for "
        "the doctors\u2019 union. She said the union had warned the health board for months.\n\n"
        "The health board said in a statement that it had hired 40 nurses since January and "
        "that talks would resume next week. Health Minister Paul Varga said he understood the "
        "anger of the doctors but urged them to return to work.\n\n"
        "The strike notice carries the number ref {ref}.",
    ),
    (
        "Lorvik Exporters Warn Steel Tariffs Will Cost Jobs",
        "Exporters in Lorvik said on Wednesday that new tariffs on steel would cost the region "
        "thousands of jobs.\n\n"
        "\u201cWe were never consulted,\u201d said Nadia Petrov, who heads the regional chamber "
        "of commerce. The trade ministry said the tariffs were a temporary measure and would be "
        "reviewed in six months.\n\n"
        "Economists at the national bank said exports could fall by 5 percent this year. The "
        "governor of the region, Erik Sandoval, told local radio that he would ask the "
        "government to exempt small firms.\n\n"
        "The chamber filed its objection under ref {ref}.",
    ),
]

ARABIC = "\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631 \u0625\u0646 \u0627\u0644\u062d\u0643\u0648\u0645\u0629 \u0633\u062a\u0639\u0645\u0644 "  # noqa: E501
CYRILLIC = "\u041c\u0438\u043d\u0438\u0441\u0442\u0440 \u0437\u0430\u044f\u0432\u0438\u043b \u0432\u0447\u0435\u0440\u0430 \u0447\u0442\u043e \u043c\u043e\u0441\u0442 \u043e\u0442\u043a\u0440\u043e\u044e\u0442 "  # noqa: E501
FRENCH = ("Le gouvernement a annonc\u00e9 mardi une hausse des salaires des enseignants, "
          "apr\u00e8s plusieurs semaines de gr\u00e8ve dans les \u00e9coles du pays. ")
GERMAN = ("Die Regierung hat am Dienstag eine Erh\u00f6hung der L\u00f6hne angek\u00fcndigt, "
          "nachdem die Gewerkschaften wochenlang gestreikt hatten. ")
LOREM = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. "
# JSON Lines lines that are no article, one error each.
BAD_LINES = [
    b"[1, 2]", b'"a string"', b"null", b"5", b'{"text": 5}', b'{"html": []}', b"{}",
    b'{"text": ""}', b"{bad json", b"1" * 5000, b'{"text": "\\u0000' + b"x" * 100 + b'"}',
    b'{"text": "\\ud800"}', b'{"text": "!!! ... ???"}', b'{"text": "Breaking!"}',
    b'{"html": "<html><body><nav>Home</nav></body></html>"}', b"\xff\xfe\xfa",
    b'{"text": "' + b"spam " * 300 + b'"}',
]


@dataclass
class Corpus:
    """The inputs written so far and what each must give."""

    root: Path
    rng: random.Random
    quick: bool
    refs: int = 0
    inputs: list[dict] = field(default_factory=list)

    def article(self, story: int | None = None) -> tuple[str, str, str]:
        """A fresh good article: (title, body, marker)."""
        self.refs += 1
        marker = f"R-{self.refs:04d}"
        title, body = STORIES[(self.refs if story is None else story) % len(STORIES)]
        return title, body.format(ref=marker), marker

    def add(self, name: str | bytes, data: bytes, errors: int = 0,
            good: list[str] | None = None) -> Path:
        """Write one input; `name` may be bytes, for a file name that is not UTF-8."""
        path = self.root / (os.fsdecode(name) if isinstance(name, bytes) else name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.record(path, errors, good or [])
        return path

    def record(self, path: Path, errors: int, good: list[str]) -> None:
        shown = os.fsencode(path.relative_to(self.root)).decode("utf-8", "backslashreplace")
        self.inputs.append({"path": shown, "errors": errors, "good": good})

    def random_bytes(self, n: int, nul: bool = True) -> bytes:
        data = bytes(self.rng.getrandbits(8) for _ in range(n))
        return data if nul else data.replace(b"\x00", b"\x01")


def text_file(title: str, body: str) -> str:
    return f"{title}\n\n{body}\n"


def html_page(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>")


def rss(items: list[str], title: str = "Fuzz Wire") -> str:
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}"
            f"</title>{''.join(items)}</channel></rss>")


def rss_item(title: str, body: str) -> str:
    escaped = body.replace("&", "&amp;").replace("<", "&lt;")
    return f"<item><title>{title}</title><description>{escaped}</description></item>"


def jsonl(*records: object) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def gzip_members(head: bytes, repeated: bytes = b"", times: int = 0) -> bytes:
    """Concatenated gzip members (which decompress as one stream): cheap to write however
    much they expand to."""
    return gzip.compress(head, mtime=0) + gzip.compress(repeated, mtime=0) * times


def good_inputs(c: Corpus) -> None:
    """Good articles in every form sayso reads, some of which it used to lose."""
    for suffix, render in ((".txt", text_file), (".html", html_page), (".htm", html_page)):
        for _ in range(2):
            title, body, marker = c.article()
            c.add(f"good/plain{c.refs}{suffix}", render(title, body).encode(), good=[marker])
    title, body, marker = c.article()
    c.add("good/packed.txt.gz", gzip.compress(text_file(title, body).encode()), good=[marker])
    title, body, marker = c.article()
    c.add("good/disguised.txt", gzip.compress(text_file(title, body).encode()), good=[marker])
    markers, records = [], []
    for _ in range(3):
        title, body, marker = c.article()
        markers.append(marker)
        records.append({"text": body, "title": title, "url": f"https://example.org/{marker}"})
    c.add("good/wire.jsonl", jsonl(*records), good=markers)
    title, body, marker = c.article()
    c.add("good/crlf.ndjson", json.dumps({"text": body}).encode() + b"\r\n\r\n", good=[marker])
    title, body, marker = c.article()
    c.add("good/bom.jsonl", codecs.BOM_UTF8 + jsonl({"text": body}), good=[marker])
    entries, markers = [], []
    for _ in range(2):
        title, body, marker = c.article()
        entries.append(rss_item(title, body))
        markers.append(marker)
    c.add("good/feed.rss", rss(entries).encode(), good=markers)
    title, body, marker = c.article()
    atom = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            f"<title>Atom Wire</title><entry><title>{title}</title><content type='text'>{body}"
            "</content></entry></feed>")
    c.add("good/feed.atom", atom.encode(), good=[marker])


def encodings(c: Corpus) -> None:
    """BOMs, stray bytes among curly quotes, format characters, odd metadata: all good articles."""
    for encoding, bom in (("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                          ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-8", codecs.BOM_UTF8)):
        title, body, marker = c.article()
        c.add(f"enc/bom-{encoding}.txt", bom + text_file(title, body).encode(encoding),
              good=[marker])
    title, body, marker = c.article()
    c.add("enc/utf16.jsonl", codecs.BOM_UTF16_LE + jsonl({"text": body}).decode().encode(
        "utf-16-le"), good=[marker])
    for n in (1, 3, 8):
        title, body, marker = c.article()
        raw = bytearray(text_file(title, body).encode())
        for i in range(n):  # cp1252 dashes and quotes pasted into UTF-8
            at = raw.index(b". ", len(raw) * i // n) + 1
            raw[at:at] = b" \x96 \x93"
        c.add(f"enc/stray-bytes-{n}.txt", bytes(raw), good=[marker])
    title, body, marker = c.article()
    c.add("enc/cp1252.html", html_page(title, body).replace("utf-8", "windows-1252").encode(
        "cp1252"), good=[marker])
    title, body, marker = c.article()
    c.add("enc/zero-width-only.txt", text_file(title, body).replace(" ", "\u200b").encode(),
          good=[marker])
    title, body, marker = c.article()
    c.add("enc/zero-width-beside.txt", text_file(title, body).replace(" ", " \u200b\u2060")
          .encode(), good=[marker])
    title, body, marker = c.article()
    odd = unicodedata.normalize("NFD", body).replace("the ", "the\u00ad\u200e ")
    c.add("enc/nfd-soft-hyphen-bidi.txt", text_file(title, "\u202a" + odd + "\u202c").encode(),
          good=[marker])
    title, body, marker = c.article()
    c.add("enc/nbsp-separators.txt", text_file(title, body).replace(" ", "\u00a0").replace(
        "\n\n", "\u2029").encode(), good=[marker])
    title, body, marker = c.article()
    c.add("enc/surrogates.jsonl", jsonl({"text": body[:40] + "\ud800" + body[40:],
                                         "title": "Cut \udcff title", "author": "\udfffX Y"}),
          good=[marker])
    title, body, marker = c.article()
    c.add("enc/odd-metadata.jsonl", jsonl({"text": body, "title": {"a": 1}, "authors": 7,
                                           "published": "9" * 5000, "url": ["x"]}),
          good=[marker])
    title, body, marker = c.article()
    c.add(b"enc/name-\xff\xfe-good.txt", text_file(title, body).encode(), good=[marker])
    title, body, marker = c.article()
    c.add("enc/name with\nnewline.txt", text_file(title, body).encode(), good=[marker])
    title, body, marker = c.article()
    c.add("enc/stray-bytes.jsonl", json.dumps({"text": body}).encode().replace(
        b"said", b"said \x97", 1) + b"\n", good=[marker])


def compressed(c: Corpus) -> None:
    """Damaged gzip, decompression bombs and endless lines."""
    for n, cut in enumerate((0.1, 0.5, 0.9, -4, -8)):
        title, body, _ = c.article()
        packed = gzip.compress(text_file(title, body).encode())
        end = int(len(packed) * cut) if cut > 0 else len(packed) + cut
        c.add(f"gz/truncated-{n}.txt.gz", packed[:end], errors=1)
    for n in range(4):
        title, body, _ = c.article()
        packed = bytearray(gzip.compress(html_page(title, body).encode()))
        for i in range(4):
            packed[len(packed) // 3 + 7 * i + n] ^= 0xA5
        c.add(f"gz/corrupt-{n}.html.gz", bytes(packed), errors=1)
    c.add("gz/not-gzip.txt.gz", c.random_bytes(4096), errors=1)
    c.add("gz/header-only.txt.gz", gzip.compress(b"")[:10], errors=1)
    c.add("gz/empty.txt.gz", gzip.compress(b""), errors=1)
    c.add("gz/bomb.txt.gz", gzip_members(b"", b"a" * MIB, 20), errors=1)  # over --max-bytes
    lines, markers = [], []
    for _ in range(2):
        title, body, marker = c.article()
        lines.append({"text": body})
        markers.append(marker)
    packed = gzip.compress(jsonl(*lines) + jsonl({"text": "x " * 40_000}))
    c.add("gz/truncated.jsonl.gz", packed[: len(packed) - 40], errors=1, good=markers)
    title, body, marker = c.article()
    endless = 300 if c.quick else 3 * 1024  # MiB in one line
    c.add("gz/endless-line.jsonl.gz", gzip_members(b'{"text": "', b"a" * MIB, endless)
          + gzip_members(b'"}\n' + jsonl({"text": body})),
          errors=1 if c.quick else 2,  # the quick line ends; the full one passes the cap
          good=[marker] if c.quick else [])
    title, body, marker = c.article()
    c.add("jsonl/long-line.jsonl", b'{"text": "' + b"b" * (11 * 10**6) + b'"}\n'
          + jsonl({"text": body}), errors=1, good=[marker])
    c.add("jsonl/unterminated-line.jsonl", b'{"text": "' + b"c" * (11 * 10**6), errors=1)


def json_lines(c: Corpus) -> None:
    """Bad JSON Lines, one error per bad line, good lines around them kept."""
    before, after = c.article(), c.article()
    c.add("jsonl/nested.jsonl", jsonl({"text": before[1]}) + b"[" * 100_000 + b"\n"
          + b'{"a":' * 50_000 + b"\n" + jsonl({"text": after[1]}), errors=2,
          good=[before[2], after[2]])
    title, body, _ = c.article()
    c.add("jsonl/deep-field.jsonl", jsonl({"text": body, "extra": json.loads("[" * 80 + "]" * 80)}),
          errors=1)
    title, body, marker = c.article()
    c.add("jsonl/brackets-in-strings.jsonl", jsonl({"text": body, "note": "[{" * 5000}),
          good=[marker])
    bad = BAD_LINES + [b'{"text": "' + (FRENCH * 5).encode() + b'"}']
    for n, line in enumerate(bad):  # each alone too, as a file of its own
        c.add(f"jsonl/bad-{n}.jsonl", line + b"\n", errors=1)
    title, body, marker = c.article()
    c.add("jsonl/bad-lines.jsonl", b"\n".join([*bad, json.dumps({"text": body}).encode()]),
          errors=len(bad), good=[marker])
    for n in range(6):
        title, body, _ = c.article()
        packed = gzip.compress(jsonl({"text": body}))
        c.add(f"jsonl/cut-{n}.jsonl.gz", packed[: c.rng.randrange(10, len(packed) - 1)],
              errors=1)
    c.add("jsonl/binary.jsonl", c.random_bytes(64 * 1024), errors=1)
    c.add("jsonl/binary-no-nul.ndjson", c.random_bytes(16 * 1024, nul=False), errors=1)
    c.add("jsonl/empty.jsonl", b"", errors=1)
    c.add("jsonl/blank.jsonl", b"\n \n\t\n", errors=1)
    c.add("jsonl/pretty-printed.jsonl", json.dumps({"text": "x"}, indent=2).encode(), errors=3)


def junk(c: Corpus) -> None:
    """Text that is no English article: one error each."""
    for name, text in (
        ("empty.txt", ""), ("whitespace.txt", " \n\t\n "), ("punctuation.txt", "!?., ;:-- " * 80),
        ("nine-chars.txt", "Breaking!"), ("numbers.txt", "12 34 56.7 % 2024 " * 50),
        ("arabic.txt", ARABIC * 60), ("arabic-few-latin.txt", ARABIC * 40 + "Reuters AP " * 10),
        ("cyrillic.txt", CYRILLIC * 50), ("french.txt", FRENCH * 4), ("german.txt", GERMAN * 4),
        ("lorem.txt", LOREM * 20), ("chinese.txt", "\u4e1c\u4eac\u5e02\u653f\u5e9c " * 200),
        ("format-chars-only.txt", "\u200b\u200c\u200d\u2060\ufeff" * 100),
        ("single-letters.txt", "a " * 600_000), ("nul.txt", "The mayor said\x00" * 100),
        ("controls.txt", "\x01\x02\x03\x04 text " * 200),
        ("nav-only.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>"),
        ("script-only.html", f"<html><body><script>{'var x = 1;' * 500}</script></body></html>"),
        ("deep.html", f"<html><body>{'<div>' * 100_000}x{'</div>' * 100_000}</body></html>"),
        ("no-feed.xml", "<?xml version='1.0'?><catalog><book id='1'/></catalog>"),
        ("tag-soup.htm", "<p><b><i>" * 500 + "&#xd800;&#0;&bogus; bogus" * 100),
    ):
        c.add(f"junk/{name}", text.encode(), errors=1)
    c.add("junk/huge.html", b"<p>" + b"word " * (2 * 10**6 + 1), errors=1)
    c.add("junk/too-long-body.txt", ("The mayor said the plan works. " * 40_000).encode(), errors=1)
    c.add(b"junk/name-\xe9\xff-empty.txt", b"", errors=1)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + c.random_bytes(2048)
    for suffix in (".txt", ".html", ".rss", ".jsonl", ".xml", ".text", ".atom"):
        c.add(f"binary/image{suffix}", png, errors=1)
    for n, suffix in enumerate((".txt", ".html", ".htm", ".rss", ".ndjson", ".text")):
        c.add(f"binary/random-{n}{suffix}", c.random_bytes(4096 * (n + 1)), errors=1)
    c.add("binary/legacy-garbage.txt", bytes(range(128, 256)) * 50, errors=1)
    suffixes = sorted(SUFFIXES)
    for n in range(8):
        size = c.rng.choice((1, 100, 5000, 70_000))
        c.add(f"binary/seeded-{n}{c.rng.choice(suffixes)}", c.random_bytes(size, nul=n % 2 == 0),
              errors=1)


def feeds(c: Corpus) -> None:
    """Feeds parsed leniently: a record for a broken feed and for each entry dropped."""
    c.add("feeds/garbage.rss", b"<rss version='2.0'>\x01\x02 <<>> &&& ]]> <item", errors=1)
    c.add("feeds/garbage-item.rss", b"<rss><channel><item><title>x</title>" + b"\x07&#;<<<" * 50,
          errors=2)
    title, body, marker = c.article()
    c.add("feeds/unclosed-item.rss", (rss([rss_item(title, body)])[:-len("</channel></rss>")]
                                      + "<item><title>Cut</title><description>Cut off")
          .encode(), errors=2, good=[marker])
    title, body, marker = c.article()
    c.add("feeds/short-entry.rss", rss([rss_item("Short", "Breaking!"), rss_item(title, body)])
          .encode(), errors=1, good=[marker])
    c.add("feeds/headlines-only.rss", rss(["<item><title>One</title></item>"] * 3).encode(),
          errors=3)
    c.add("feeds/no-entries.rss", rss([]).encode(), errors=1)
    c.add("feeds/punctuation-entry.atom", (
        b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>P</title>"
        b"<content type='html'>&lt;p&gt;!!! ??? ...&lt;/p&gt;</content></entry></feed>"),
        errors=1)
    c.add("feeds/foreign-entry.rss", rss([rss_item("F", FRENCH * 3)]).encode(), errors=1)
    c.add("feeds/bad-dates.rss", rss([
        "<item><title>D</title><pubDate>Mon, 99 Foo 99999 99:99:99</pubDate>"
        "<description>Breaking!</description></item>"]).encode(), errors=1)


def folders(c: Corpus) -> None:
    """An unreadable folder gives a record (as root, every folder can be read)."""
    title, body, marker = c.article()
    locked = c.root / "locked"
    inside = c.add("locked/inside.txt", text_file(title, body).encode())
    c.inputs.pop()
    locked.chmod(0)
    if os.access(locked, os.R_OK):
        c.record(inside, 0, [marker])
    else:
        c.record(locked, 1, [])
    (c.root / "links").mkdir()
    (c.root / "links" / "loop").symlink_to("..", target_is_directory=True)
    os.mkfifo(c.root / "links" / "pipe.txt")  # not a file: never opened, so no hang
    (c.root / ".hidden.txt").write_text("hidden, skipped")
    (c.root / "notes.md").write_text("an unsupported suffix, skipped")


def nesting(c: Corpus) -> None:
    """Quotes nested inside quotes, batched with a good article."""
    depth = 100 if c.quick else 1000
    text = "the bridge would reopen"
    for i in range(depth):
        text = f'"{text}," official {i} said'
    title, body, marker = c.article()
    c.add("nesting/quotes.jsonl", jsonl({"text": f"The mayor said the ferry would run. {text}."},
                                        {"text": body}), good=["the ferry would run", marker])


def build(root: Path, quick: bool = False, seed: int = 9) -> dict:
    """Write the corpus under `root` (which must not exist) and return its manifest."""
    root.mkdir(parents=True)
    c = Corpus(root, random.Random(seed), quick)
    for part in (good_inputs, encodings, compressed, json_lines, junk, feeds, folders, nesting):
        part(c)
    manifest = {
        "inputs": c.inputs,
        "bad_inputs": sum(1 for i in c.inputs if i["errors"]),
        "errors": sum(i["errors"] for i in c.inputs),
        "good": sum(len(i["good"]) for i in c.inputs),
    }
    (root / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to create")
    parser.add_argument("--quick", action="store_true", help="the smaller corpus of the tests")
    parser.add_argument("--seed", type=int, default=9, help="seed of the random bytes")
    args = parser.parse_args()
    manifest = build(args.out, args.quick, args.seed)
    print(f"{len(manifest['inputs'])} inputs ({manifest['bad_inputs']} bad) in {args.out}: "
          f"{manifest['errors']} error records and {manifest['good']} good articles expected")


if __name__ == "__main__":
    main()
