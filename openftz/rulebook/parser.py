"""A parser for Chinese government plan documents (方案 / 若干措施 / 实施方案).

It reads the text a person would copy out of the published PDF or web page and returns the
document's number (文号), title, issuing body, dates, chapters (一、), sections ((一)), the numbered
measures (1. or １．) and each measure's responsible units (责任单位) with the lead unit (牵头单位).

Real texts are messy: full-width digits and punctuation, lines wrapped in the middle of a sentence
or of a unit's name, page breaks, traditional characters, closing paragraphs without a number.
The parser works on a 1:1 "matching" copy of every line (full-width ASCII folded to half-width) so
that it can find markers without changing the text it returns, which stays as printed.

Pure functions only: text in, ``PlanDocument`` out, ``PlanParseError`` for anything that is not a plan.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

# Full-width ASCII (U+FF01…U+FF5E) and the ideographic space fold to ASCII one character for one,
# so positions in the folded copy are positions in the original.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0xA0: 0x20, ord("«"): ord("《"), ord("»"): ord("》"), ord("‹"): ord("〈"), ord("›"): ord("〉")})

CN_NUMERALS = "零一二三四五六七八九十"
_CHAPTER = re.compile(r"^([一二三四五六七八九十]{1,3})\s*、\s*(.*)$")
_SECTION = re.compile(r"^\(\s*([一二三四五六七八九十]{1,3})\s*\)\s*(.*)$")
_MEASURE = re.compile(r"^(\d{1,3})\s*[.、]\s*(?!\d)(.*)$")
_PAGE_NUMBER = re.compile(r"^[-—–－一\s]*\d{1,3}[-—–－一\s]*$")
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,6}?)\s*[〔\[(]\s*(\d{4})\s*[〕\])]\s*(\d{1,5})\s*号")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NOTICE = re.compile(r"关于印发\s*《(.+)》\s*的通知")
_TERMINAL = tuple("。.;；!！?？)）」”\"")
_FOOTER = re.compile(r"^(抄送|抄报|主送)\s*[:：]|印发\s*$")
_ORGANISATION = re.compile(r"[\u4e00-\u9fff()]{2,24}(?:国务院|政府|办公厅|委员会|委|办|局|部|院|厅|署|行|会)")
_TITLE_SUFFIXES = ("实施方案", "总体方案", "方案", "若干措施", "措施", "意见", "办法", "规划", "计划")

# Forms of the responsibility clause, tried in order on the folded text inside the trailing parentheses.
_LABELLED = re.compile(r"(牵头单位|主责单位|责任单位|配合单位|参与单位|协办单位)\s*:\s*")
_LEAD_COOP = re.compile(
    r"^(?P<lead>.+?)牵头(?:负责|实施)?\s*[,，;；]\s*(?P<rest>.+?)"
    r"(?:配合|参与|协同|协助|(?:按职责分工|按照职责分工|分别)?负责)(?:负责|实施|落实)?$"
)
_LEAD_ONLY = re.compile(r"^(?P<lead>.+?)牵头(?:负责|实施)?$")
_BY_DUTY = re.compile(r"^(?P<units>.+?)(?:按职责分工|按照职责分工|分别)?负责(?:落实|实施)?$")
# 及 / 和 join two units in a clause ("市级各有关部门及各县市区政府") but also occur inside a unit's own name
# ("工业和信息化部", "国家发展和改革委员会"): a listing is split there only where the words before end as an
# organisation's name does, and the words after are a name of their own (not 及其…).
_CONJUNCTION = re.compile(r"以及|及|和")
_ORGANISATION_ENDINGS = ("部门", "单位", "政府", "机关", "机构", "委员会", "办公室", "委", "办", "局", "部", "院", "厅", "署", "行", "会")


class PlanParseError(ValueError):
    """The input is not a plan this parser can read (empty, binary, not UTF-8, no numbered measures)."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass
class Section:
    number: int
    title: str
    intro: str = ""


@dataclass
class Chapter:
    number: int
    title: str
    intro: str = ""
    sections: list[Section] = field(default_factory=list)


@dataclass
class Measure:
    id: str
    number: int | None
    chapter: int | None
    chapter_title: str | None
    section: int | None
    section_title: str | None
    text: str
    units: list[str] = field(default_factory=list)
    lead_unit: str | None = None
    leads: list[str] = field(default_factory=list)  # every unit named as leading (牵头); the first is lead_unit
    responsibility: str | None = None  # the clause as printed, e.g. "(责任单位:市商务委、市财政局)"


@dataclass
class PlanDocument:
    plan: str
    doc_number: str | None
    title: str | None
    notice_title: str | None
    issuer: str | None
    kind: str | None
    signed_on: str | None
    printed_on: str | None
    preamble: str
    chapters: list[Chapter]
    measures: list[Measure]

    def as_dict(self) -> dict:
        return asdict(self)


def fold(text: str) -> str:
    """Full-width ASCII to half-width, guillemets to Chinese title marks, one character for one."""
    return text.translate(_FOLD)


def cn_number(numeral: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23 (enough for chapter and section numbers)."""
    if "十" not in numeral:
        return CN_NUMERALS.index(numeral)
    tens, _, ones = numeral.partition("十")
    return (CN_NUMERALS.index(tens) if tens else 1) * 10 + (CN_NUMERALS.index(ones) if ones else 0)


def normalise_unit(name: str) -> str:
    """A unit's name as printed, without line breaks or spaces and with ASCII parentheses."""
    return re.sub(r"\s+", "", fold(name)).strip("、,;。.")


def doc_number(text: str) -> str | None:
    """A document number (文号) in its canonical form — 沪府规 〔２０２４〕３号 → 沪府规〔2024〕3号 — or None."""
    m = _DOC_NUMBER.fullmatch(re.sub(r"\s+", "", fold(text)))
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号" if m else None


def decode(data: bytes | str) -> str:
    if isinstance(data, str):
        try:
            data.encode("utf-8")
        except UnicodeEncodeError as exc:  # lone surrogates: only a program can hand us these
            raise PlanParseError(f"文本含无效字符(第 {exc.start} 个字符)", f"the text holds an invalid character at {exc.start}") from None
        text = data
    else:
        if b"\x00" in data[:65536]:
            raise PlanParseError("输入是二进制文件,不是方案文本", "the input is a binary file, not a plan text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PlanParseError(
                f"输入不是 UTF-8 编码(第 {exc.start} 字节)",
                f"the input is not UTF-8 (byte {exc.start}); save the plan as UTF-8 text",
            ) from None
    if not text.strip():
        raise PlanParseError("输入为空", "the input is empty")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise PlanParseError("输入含大量控制字符,不是方案文本", "the input is full of control characters, not a plan text")
    return text


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC), only when the text is in traditional script.

    Converting a simplified text would still change a few characters that are valid in both scripts,
    so the text is converted only if at least 1% of its Han characters differ after conversion.
    """
    import opencc  # imported here: loading its dictionaries costs time the other paths do not need

    converted = opencc.OpenCC("t2s").convert(text)
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") or 1
    changed = sum(1 for a, b in zip(text, converted) if a != b)
    return converted if changed / han >= 0.01 else text


def _join(parts: list[str]) -> str:
    """Join wrapped lines: no separator between Chinese characters, a space between two Latin words."""
    out = ""
    for part in parts:
        if out and part and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def _split_units(listing: str) -> list[str]:
    """Split a list of units on 、,，; at parenthesis depth 0 (unit names may carry parentheses)."""
    units, depth, current = [], 0, []
    for ch in fold(listing):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、,;":
            units.append("".join(current))
            current = []
        else:
            current.append(ch)
    units.append("".join(current))
    units = [part for unit in units for part in _split_conjunctions(unit)]
    seen: list[str] = []
    for unit in map(normalise_unit, units):
        if unit and unit not in seen:
            seen.append(unit)
    return seen


def _split_conjunctions(name: str) -> list[str]:
    """``A及B`` / ``A和B`` as two units where A ends as an organisation's name does; one name otherwise."""
    for m in _CONJUNCTION.finditer(name):
        before, after = name[:m.start()], name[m.end():]
        if before.endswith(_ORGANISATION_ENDINGS) and len(after) >= 2 and not after.startswith("其"):
            return [before, *_split_conjunctions(after)]
    return [name]


class Responsibility(NamedTuple):
    """A responsibility clause read: the units in printed order, and those named as leading (牵头), first the lead unit."""

    units: list[str]
    leads: list[str]

    @property
    def lead(self) -> str:
        return self.leads[0]


def parse_responsibility(inner: str) -> Responsibility | None:
    """The units named in the content of a responsibility clause, and the units leading it.

    Handles ``责任单位:A、B``, ``牵头单位:X;责任单位:Y``, ``X牵头,Y配合``, ``X、Y牵头,Z及W按职责分工负责``,
    ``X牵头负责`` and ``X、Y按职责分工负责``. Every unit listed before 牵头 leads (the first is the lead unit);
    without 牵头 the first unit printed is the lead. Returns None when the text is not a responsibility clause.
    """
    text = re.sub(r"\s+", "", fold(inner)).replace("：", ":").replace("，", ",").replace("；", ";")
    if not text:
        return None
    labels = list(_LABELLED.finditer(text))
    if labels and labels[0].start() == 0:
        units: list[str] = []
        leads: list[str] = []
        for i, label in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
            listed = _split_units(text[label.end():end].rstrip(";,"))
            if label.group(1) == "牵头单位":
                leads += [u for u in listed if u not in leads]
            units += [u for u in listed if u not in units]
        if not units:
            return None
        return Responsibility(units, leads or units[:1])
    for pattern in (_LEAD_COOP, _LEAD_ONLY):
        m = pattern.match(text)
        if m:
            leads = _split_units(m.group("lead"))
            rest = _split_units(m.group("rest")) if "rest" in m.groupdict() else []
            units = leads + [u for u in rest if u not in leads]
            return Responsibility(units, leads) if leads else None
    m = _BY_DUTY.match(text)
    if m and len(m.group("units")) <= 400:
        units = _split_units(m.group("units"))
        return Responsibility(units, units[:1]) if units else None
    return None


def split_responsibility(text: str) -> tuple[str, str | None, Responsibility | None]:
    """Split a measure's text into (body, clause as printed, the clause read) at its trailing clause."""
    folded = fold(text).rstrip()
    end = len(folded)
    while end and folded[end - 1] in "。.;":
        end -= 1
    if not end or folded[end - 1] != ")":
        return text.rstrip(), None, None
    depth = 0
    for start in range(end - 1, -1, -1):
        ch = folded[start]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                parsed = parse_responsibility(folded[start + 1:end - 1])
                if parsed is None:
                    return text.rstrip(), None, None
                return text[:start].rstrip(), text[start:end], parsed
    return text.rstrip(), None, None


@dataclass
class _Line:
    text: str  # as printed, stripped
    folded: str


def _lines(text: str) -> list[_Line]:
    out = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n"):
        stripped = raw.strip(" \t\u3000\u00a0\ufeff")
        if not stripped:
            continue
        folded = fold(stripped)
        if _PAGE_NUMBER.match(folded) and len(folded) <= 12:
            continue
        out.append(_Line(stripped, folded))
    return out


def _wrap_width(lines: list[_Line]) -> int | None:
    """The column width when the text is hard-wrapped (as copied from a PDF), else None."""
    lengths = [len(line.text) for line in lines if len(line.text) >= 8]
    if len(lengths) < 10:
        return None
    width = sorted(lengths)[int(len(lengths) * 0.8)]
    near = sum(1 for n in lengths if width - 3 <= n <= width + 1)
    return width if width <= 60 and near >= len(lengths) * 0.4 else None


def _paragraphs(lines: list[_Line], width: int | None) -> list[list[_Line]]:
    """Group body lines into paragraphs: each line is one unless the text is hard-wrapped."""
    paragraphs: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        current.append(line)
        short = width is None or len(line.text) < width - 3
        if short and line.folded.endswith(_TERMINAL):
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _metadata(front: list[_Line]) -> dict:
    folded = [line.folded for line in front]
    joined = "".join(folded)
    meta: dict = {"doc_number": None, "notice_title": None, "title": None, "issuer": None, "signed_on": None}
    m = next(filter(None, map(_DOC_NUMBER.search, folded)), None) or _DOC_NUMBER.search(joined)
    if m:
        meta["doc_number"] = doc_number(m.group(0))
    # The notice title (…关于印发《…》的通知) may be wrapped over several lines.
    for i, line in enumerate(folded):
        if "关于印发" in line:
            # the shortest run of lines that holds the whole title
            candidate = next((c for k in range(1, 7) if _NOTICE.search(c := "".join(folded[i:i + k]))), None)
            notice = _NOTICE.search(candidate) if candidate else None
            if notice:
                meta["notice_title"] = candidate[: notice.end()]
                meta["title"] = notice.group(1).replace("〈", "《").replace("〉", "》")
                issuer = line[: line.index("关于印发")].strip()
                meta["issuer"] = issuer or None
                break
    if meta["title"] is None:
        for line in folded:
            if len(line) <= 80 and line.endswith(_TITLE_SUFFIXES) and not _DATE.search(line):
                meta["title"] = line
                break
    for i, line in enumerate(folded):
        d = _DATE.fullmatch(line.strip())
        if d:
            meta["signed_on"] = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
            if meta["issuer"] is None and i and _ORGANISATION.fullmatch(folded[i - 1]):
                meta["issuer"] = folded[i - 1]
            break
    if meta["issuer"] is None:  # the letterhead: 上海市人民政府文件
        header = next((line[:-2] for line in folded[:3] if line.endswith("文件") and _ORGANISATION.fullmatch(line[:-2])), None)
        meta["issuer"] = header
    return meta


def parse_plan(data: bytes | str, *, plan: str | None = None) -> PlanDocument:
    """Parse a plan's text into its structure. ``plan`` is the id prefix (SC, SH); guessed when None."""
    text = to_simplified(decode(data))
    lines = _lines(text)

    front: list[_Line] = []
    body_start = None
    for i, line in enumerate(lines):
        if _CHAPTER.match(line.folded) and cn_number(_CHAPTER.match(line.folded).group(1)) == 1:
            body_start = i
            break
        m = _MEASURE.match(line.folded)
        if m and int(m.group(1)) == 1:
            body_start = i
            break
        front.append(line)
    if body_start is None:
        raise PlanParseError("未找到编号措施(如“1.”或“１．”),不是方案文本", "no numbered measures (1. or １．) found: not a plan text")

    meta = _metadata(front)
    footer_printed = None
    body: list[_Line] = []
    in_footer = False
    for line in lines[body_start:]:
        if _FOOTER.search(line.folded):
            in_footer = True
            d = _DATE.search(line.folded)
            if d and line.folded.rstrip().endswith("印发"):
                footer_printed = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
        if not in_footer:
            body.append(line)

    prefix = plan or _guess_prefix(meta["doc_number"])
    width = _wrap_width(lines)
    doc = PlanDocument(
        plan=prefix,
        doc_number=meta["doc_number"],
        title=meta["title"],
        notice_title=meta["notice_title"],
        issuer=meta["issuer"],
        kind=next((s for s in _TITLE_SUFFIXES if meta["title"] and meta["title"].endswith(s)), None),
        signed_on=meta["signed_on"],
        printed_on=footer_printed,
        preamble=_preamble(front, meta["title"]),
        chapters=[],
        measures=[],
    )
    _parse_body(doc, body, width)
    if not any(m.number for m in doc.measures):
        raise PlanParseError("未找到编号措施,不是方案文本", "no numbered measures found: not a plan text")
    return doc


def _guess_prefix(doc_number: str | None) -> str:
    if doc_number and doc_number.startswith("国"):
        return "SC"
    if doc_number and doc_number.startswith("沪"):
        return "SH"
    return "M"


def _preamble(front: list[_Line], title: str | None) -> str:
    """The paragraph(s) after the plan's own title line at the top of the plan (为…,制定本方案)."""
    if not title:
        return ""
    target = re.sub(r"\s+", "", title)
    joined_from: int | None = None
    for i in range(len(front)):
        acc = ""
        for j in range(i, min(i + 6, len(front))):
            acc += re.sub(r"\s+", "", front[j].folded)
            if acc == target or acc.endswith(target) and len(acc) - len(target) <= 4:
                joined_from = j + 1
            if len(acc) >= len(target):
                break
    if joined_from is None:
        return ""
    return _join([line.text for line in front[joined_from:]])


def _parse_body(doc: PlanDocument, body: list[_Line], width: int | None) -> None:
    chapter: Chapter | None = None
    section: Section | None = None
    intro: list[_Line] = []
    measure_lines: list[_Line] | None = None
    number = 0
    trailing: list[_Line] = []

    def close_intro() -> None:
        nonlocal intro
        if intro:
            text = _join([line.text for line in intro])
            target = section or chapter
            if target is not None:
                target.intro = _join([target.intro, text]) if target.intro else text
            intro = []

    def close_measure() -> None:
        nonlocal measure_lines
        if measure_lines is None:
            return
        text = _join([line.text for line in measure_lines])
        body_text, clause, read = split_responsibility(text)
        doc.measures.append(Measure(
            id=f"{doc.plan}-{number}",
            number=number,
            chapter=chapter.number if chapter else None,
            chapter_title=chapter.title if chapter else None,
            section=section.number if section else None,
            section_title=section.title if section else None,
            text=body_text,
            units=read.units if read else [],
            lead_unit=read.lead if read else None,
            leads=read.leads if read else [],
            responsibility=clause,
        ))
        measure_lines = None

    for line in body:
        m_chapter = _CHAPTER.match(line.folded)
        if m_chapter and len(line.folded) <= 40 and cn_number(m_chapter.group(1)) == (chapter.number if chapter else 0) + 1:
            close_measure()
            close_intro()
            chapter = Chapter(number=cn_number(m_chapter.group(1)), title=_heading(line, m_chapter))
            doc.chapters.append(chapter)
            section = None
            continue
        m_section = _SECTION.match(line.folded)
        if m_section and chapter and len(line.folded) <= 40 and cn_number(m_section.group(1)) == (section.number if section else 0) + 1:
            close_measure()
            close_intro()
            section = Section(number=cn_number(m_section.group(1)), title=_heading(line, m_section))
            chapter.sections.append(section)
            continue
        m_measure = _MEASURE.match(line.folded)
        if m_measure and int(m_measure.group(1)) == number + 1:
            close_measure()
            close_intro()
            number += 1
            rest = line.text[m_measure.start(2):]
            measure_lines = [_Line(rest, fold(rest))] if rest else []
            continue
        if measure_lines is not None:
            measure_lines.append(line)
        else:
            intro.append(line)
    # The last measure may be followed by unnumbered closing paragraphs (the State Council plan's
    # 上海市人民政府要强化主体责任…): they end where the measure's responsibility clause ends or,
    # without a clause, after the measure's first paragraph.
    if measure_lines is not None:
        measure_lines, trailing = _split_last(measure_lines, width)
    close_measure()
    close_intro()
    if trailing:
        doc.measures.append(Measure(
            id=f"{doc.plan}-closing", number=None, chapter=None, chapter_title=None, section=None,
            section_title=None, text=_join([line.text for line in trailing]),
        ))


def _split_last(lines: list[_Line], width: int | None) -> tuple[list[_Line], list[_Line]]:
    text = _join([line.text for line in lines])
    _, clause, _ = split_responsibility(text)
    if clause is not None:
        return lines, []
    # A clause somewhere inside: the measure ends with the line that closes it.
    for i, line in enumerate(lines):
        folded = fold(_join([x.text for x in lines[: i + 1]]))
        if folded.rstrip("。.").endswith(")") and split_responsibility(folded)[1] is not None:
            return lines[: i + 1], lines[i + 1:]
    paragraphs = _paragraphs(lines, width)
    first = paragraphs[0] if paragraphs else lines
    return first, [line for p in paragraphs[1:] for line in p]


def _heading(line: _Line, match: re.Match) -> str:
    return line.text[match.start(2):].strip()
