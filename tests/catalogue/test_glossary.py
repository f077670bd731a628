"""The OCOP glossary: its file's format and coverage, the agency's rows over it, and the English
names it composes for real recognised products (names as provinces and the ministry published
them, found on the pages quoted in each group's comment)."""

import pytest

from catalogue import glossary
from catalogue.glossary import naming
from catalogue.models import GlossaryTerm
from catalogue.taxonomy import TAXONOMY
from catalogue.text import fold, words
from search import synonyms
from search.stemming import stems

# Folded words that occur everywhere in names, addresses and descriptions: a term folding onto
# one of them must be marked "~" (names only), or a search would match them all.
COMMON_FOLDS = set(
    """
    "che", "nam", "su", "do", "co", "la", "cho", "ban", "san", "pham", "hop", "tac", "xa", "thon",
    "tinh", "cao", "hoa", "tan", "an", "ma", "mai", "trai", "hang", "loai", "dong",
    "thanh", "quoc", "son", "long", "tam", "phu", "cong", "ty", "viet", "lam", "cua", "gia",
    "dan", "tham", "go", "ngo", "me", "ca", "kho", "hau", "vang", "tuoi", "chay", "ke", "khe",
    """.replace('"', "")
    .replace(",", " ")
    .split()
)


@pytest.fixture(scope="module")
def shipped():
    return glossary.Glossary(glossary.parse(glossary.GLOSSARY_FILE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def sections():
    return glossary.parse(glossary.GLOSSARY_FILE.read_text(encoding="utf-8"))


def test_every_line_has_at_most_three_columns_and_a_rendering():
    for number, line in enumerate(glossary.GLOSSARY_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\t" in line:
            columns = [c for c in line.split("#", 1)[0].strip().split("\t") if c]
            assert 2 <= len(columns) <= 3, f"line {number}: {line!r}"
            assert all(c.strip() for c in columns), f"line {number}: {line!r}"


def test_the_glossary_has_six_hundred_head_terms_and_no_term_twice(shipped, sections):
    assert len(shipped.head_terms()) >= 600
    seen = {}
    for section in sections:
        for entry in section.entries:
            key = glossary.phrase_key(entry.vietnamese)
            assert key not in seen, f"{entry.vietnamese!r} in {section.title!r} and {seen[key]!r}"
            seen[key] = section.title


def test_every_sub_group_of_decision_148_has_a_section_with_its_source(sections):
    codes = [code for code, *_ in TAXONOMY]
    leaves = [code for code in codes if not any(other.startswith(code + ".") for other in codes)]
    titles = [section.title for section in sections]
    for code in leaves:
        assert any(title.split()[0] == code for title in titles if title), code
    for section in sections:
        if section.title:
            assert section.source, f"section {section.title!r} says nowhere where its terms come from"
            assert section.entries, section.title


def test_no_term_that_widens_a_search_folds_onto_a_place_or_a_common_word(shipped, sections):
    places = {tuple(words(" ".join(name))) for name in naming.place_names()}
    # The trade terms search used before the glossary keep their behaviour ("gạo", "bưởi" …).
    kept = {e.vietnamese for s in sections if s.title.startswith("Trade terms") for e in s.entries}
    for entry in shipped.entries:
        if entry.names_only or entry.vietnamese in kept:
            continue
        for term in (entry.vietnamese, *entry.spellings):
            folded = tuple(words(term))
            assert folded not in places, f"{term!r} folds like a place name"
            assert not (len(folded) == 1 and folded[0] in COMMON_FOLDS), f"{term!r} folds onto a common word"


def test_synonyms_are_the_same_thing_not_a_wider_one(sections):
    """A synonym wider than the term ("honey" beside "wild honey") would make every search for
    the narrower term find the wider one: only the trade terms kept from before may do it."""
    for section in sections:
        if section.title.startswith("Trade terms"):
            continue
        for entry in section.entries:
            rendering = fold(entry.english)
            for synonym in entry.synonyms:
                assert f" {fold(synonym)} " not in f" {rendering} " or fold(synonym) == rendering, (
                    f"{entry.vietnamese!r}: {synonym!r} is part of {entry.english!r}"
                )


def test_multi_word_terms_are_one_thing():
    dictionary = synonyms.Dictionary(synonyms.parse("mực khô\tdried squid\nmực\tsquid\nhạt sen\tlotus seeds\n"))
    concepts = dictionary.concepts(["dried", "squid"])
    assert [c.typed for c in concepts] == [("dried", "squid")]
    assert ("muc", "kho") in concepts[0].alternatives


@pytest.mark.django_db  # the glossary includes the agency's rows
def test_the_shipped_glossary_widens_searches_in_both_languages():
    [concept] = synonyms.concepts(words("hạt sen"))
    assert ("lotus", "seed") in concept.alternatives
    found = synonyms.concepts(words("bamboo shoots"))
    assert not any(("mang",) in c.alternatives for c in found)  # "măng" is for names only
    [concept] = synonyms.concepts(stems(words("dried bamboo shoots")))  # queries are stemmed as the index
    assert ("mang", "kho") in concept.alternatives


@pytest.mark.django_db  # the glossary includes the agency's rows
def test_names_only_terms_never_widen_a_search():
    [concept] = synonyms.concepts(["tea"])
    assert ("che",) not in concept.alternatives  # would match "chế biến"
    assert ("tra",) in concept.alternatives
    [concept] = synonyms.concepts(["mint"])
    assert ("bac", "ha") not in concept.alternatives  # would match the district Bắc Hà


# (Decision 148 group, name as published, composed English name)
REAL_NAMES = [
    # I Food. Sources: kinhtetieudung.vn and doanhnghiephoinhap.vn (22 national 5★ products, 2023);
    # dautuvakinhdoanh.vn (Cô Tô); nongthon.vietnamtourism.gov.vn (Đồng Hỷ, 3★);
    # shopstoreadventure.com (Thái Nguyên, 4★); vietnamnews.vn (5★, 2025); ocopvietnam.langngheviet.com.vn,
    # baohatinh.vn, hdtdkt.dongthap.gov.vn (giò chả); laocaitv.vn; dantocmiennui.baotintuc.vn (Tây Ninh);
    # baoangiang.com.vn (OCOP day: Kiên Giang, Bến Tre, Sóc Trăng, Trà Vinh, Long An, Vĩnh Long);
    # khuyennong.vn (Chư Prông); vietnam.vn (Tánh Linh); hanoionline.vn (Quốc Oai).
    ("1", "Mực khô Cô Tô", "Cô Tô dried squid"),
    ("1", "Mực một nắng Cô Tô", "Cô Tô sun-dried squid"),
    ("1", "Mật ong bạc hà Hà Giang", "Hà Giang mint honey"),
    ("1", "Bánh tráng phơi sương Trảng Bàng HT", "Trảng Bàng dew-dried rice paper (HT)"),
    ("1", "Mật hoa dừa", "Coconut blossom nectar"),
    ("1", "Đường hoa dừa", "Coconut blossom sugar"),
    ("1", "Dừa sáp sợi (VICOSAP)", "Shredded wax coconut (VICOSAP)"),
    ("1", "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm", "Phú Quốc Khải Hoàn fish sauce (38°N)"),
    ("1", "Nước mắm Thanh Quốc 43 độ đạm", "Thanh Quốc fish sauce (43°N)"),
    ("1", "Trà móc câu Đạt Phát", "Đạt Phát hook-shaped green tea"),
    ("1", "Trà đinh Đạt Phát", "Đạt Phát Đinh bud tea"),
    ("1", "Trà xanh túi lọc Nguyên Việt", "Nguyên Việt green tea in teabags"),
    ("1", "Nõn chè xanh Trại Cài", "Trại Cài green tea tips"),
    ("1", "Mật ong Phúc Thành", "Phúc Thành honey"),
    ("1", "Măng khô lục trúc MTQ", "Green-bamboo dried bamboo shoots (MTQ)"),
    ("1", "Trà hoa vàng Ba Chẽ", "Ba Chẽ golden camellia tea"),
    ("1", "Chè búp tím Thanh Ba", "Thanh Ba purple bud tea"),
    ("1", "Giò lụa ông Lào", "Ông Lào lean pork roll"),
    ("1", "Giò lụa Trường An", "Trường An lean pork roll"),
    ("1", "Chả lụa Ngân Hà", "Ngân Hà pork roll"),
    ("1", "Thịt trâu gác bếp", "Smoked buffalo jerky"),
    ("1", "Bánh tráng Tân Nhiên", "Tân Nhiên rice paper"),
    ("1", "Tiêu đen xay", "Ground black pepper"),
    ("1", "Kẹo sữa dừa", "Coconut milk candy"),
    ("1", "Dừa sấy giòn", "Crispy coconut chips"),
    ("1", "Bánh pía", "Pía cake"),
    ("1", "Bột cacao", "Cocoa powder"),
    ("1", "Bánh phồng khoai lang", "Sweet potato crackers"),
    ("1", "Tương ớt", "Chilli sauce"),
    ("1", "Mắm nêm", "Fermented anchovy dipping sauce"),
    ("1", "Trà gừng mật ong", "Honey ginger tea"),
    ("1", "Mứt vỏ bưởi", "Candied pomelo peel"),
    ("1", "Hạt mắc ca", "Macadamia nuts"),
    ("1", "Điều rim tỏi ớt", "Cashews with garlic and chilli glaze"),
    ("1", "Cà phê rang nguyên hạt", "Whole-bean roasted coffee"),
    ("1", "Gạo sạch Bắc Ruộng ST25", "Bắc Ruộng clean rice (ST25)"),
    ("1", "Yến sào Minh Huyền", "Minh Huyền bird's nest"),
    ("1", "Tỏi đen Kochigold", "Kochigold black garlic"),
    ("1", "Lạc rang húng lìu", "Five-spice roasted peanuts"),
    ("1", "Thanh mè đen", "Black sesame bar"),
    # II Beverages. Sources: baoangiang.com.vn (Kiên Giang, 3★); the pages corpus on Công Sơn (Lạng Sơn, 4★).
    ("2", "Rượu nếp Xuân An", "Xuân An glutinous rice wine"),
    ("2", "Rượu vang ổi Xuân An", "Xuân An guava wine"),
    ("2", "Rượu men lá người Dao Công Sơn", "Công Sơn Dao leaf-yeast rice liquor"),
    # III Medicinal herbs. Sources: vietnamnews.vn (An Xuân, 5★); baoangiang.com.vn; khuyennong.vn.
    ("3", "Cao cà gai leo", "Climbing nightshade extract"),
    ("3", "Tinh dầu Khuynh Diệp", "Eucalyptus essential oil"),
    ("3", "Cao đinh lăng", "Polyscias extract"),
    ("3", "Tinh dầu cam", "Orange essential oil"),
    ("3", "Trà đinh lăng", "Polyscias tea"),
    ("3", "Nhung hươu thái lát ngâm mật ong", "Sliced deer antler velvet in honey"),
    # IV Handicrafts. Sources: vanhien.info (Bát Tràng, 4★); langngheviet.com.vn (Hạ Thái);
    # hanoionline.vn (Mỹ Đức); sabiotec.vn and baophutho.vn (Hà Nội craft villages); baoangiang.com.vn.
    ("4", "Bộ bát đĩa gốm sứ hoa sen đỏ", "Red lotus porcelain dinnerware set"),
    ("4", "Bộ ấm chén gốm sứ chim én hoa sen", "Swallow-and-lotus porcelain tea set"),
    ("4", "Sơn mài Hạ Thái", "Hạ Thái lacquerware"),
    ("4", "Lụa tơ sen", "Lotus silk"),
    ("4", "Mây tre đan Phú Vinh", "Phú Vinh rattan and bamboo wickerwork"),
    ("4", "Khảm trai Chuyên Mỹ", "Chuyên Mỹ mother-of-pearl inlay"),
    ("4", "Sọt cỏ bàng", "Bàng sedge basket"),
    # V Ornamental organisms. Source: vietnam.vn (Tiền Giang, five 3★ products, 2025).
    ("5", "Cây mai vàng", "Yellow apricot tree"),
    ("5", "Lan nuôi cấy mô", "Tissue-cultured orchids"),
    ("5", "Mai nữ chiếu thủy", "Wrightia bonsai"),
    ("5", "Cây bằng lăng", "Crape myrtle tree"),
    # VI Tourism. Sources: dulichtuyenquang.gov.vn (Lâm Bình); sonongnghieppy.gov.vn (Phú Yên, 4★); chg.vn.
    ("6", "Homestay Nà Muông", "Nà Muông homestay"),
    ("6", "Homestay Nặm Đíp", "Nặm Đíp homestay"),
    ("6", "Làng nghề sinh vật cảnh Hồng Vân", "Hồng Vân ornamental garden craft village"),
    (
        "6",
        "Du lịch trải nghiệm văn hoá bản địa kết nối cộng đồng tại Mộc Miên Rocky Garden",
        "Community-linked indigenous culture experiential tourism at Mộc Miên Rocky Garden",
    ),
]


def test_the_real_names_cover_every_group():
    assert len(REAL_NAMES) >= 40
    assert {group for group, *_ in REAL_NAMES} == {"1", "2", "3", "4", "5", "6"}


@pytest.mark.parametrize(("group", "vietnamese", "english"), REAL_NAMES, ids=[n for _, n, _ in REAL_NAMES])
def test_real_product_names_are_composed_in_english_word_order(shipped, group, vietnamese, english):
    assert naming.compose(vietnamese, shipped) == english


@pytest.mark.parametrize(
    ("written", "english"),
    [
        ("Mật Ong Bạc Hà Hà Giang", "Hà Giang mint honey"),  # every word capitalised: places from the reference data
        ("MẬT ONG BẠC HÀ HÀ GIANG", "Hà Giang mint honey"),
        ("Mực Khô Cô Tô", "Cô Tô dried squid"),
        ("Nước Mắm Hồng Hạnh", "Hồng Hạnh fish sauce"),  # a brand, not a persimmon
        ("Nước mắm Hồng Hạnh", "Hồng Hạnh fish sauce"),
        ("Chè Shan tuyết Suối Giàng", "Suối Giàng Shan Tuyet tea"),
        ("Trà Vinh", ""),  # a province, not a tea
        ("Rượu ngô 29 độ", "Corn liquor (29% ABV)"),
        ("Bún và phở khô", "Rice vermicelli and dried pho noodles"),
        ("Trà tôm nõn hương quê", "Hương quê tippy bud tea"),  # words it does not know, kept in their order
    ],
)
def test_capitals_places_brands_and_measures(shipped, written, english):
    assert naming.compose(written, shipped) == english


def test_no_name_when_the_glossary_does_not_know_the_product(shipped):
    assert naming.compose("Khau nhục Lạng Sơn", shipped) == ""
    assert naming.compose("", shipped) == ""


def test_old_and_new_tone_placement_match_alike(shipped):
    assert naming.compose("Mai nữ chiếu thuỷ", shipped) == naming.compose("Mai nữ chiếu thủy", shipped)
    assert naming.compose("Mai nữ chiếu thuỷ", shipped) == "Wrightia bonsai"
    assert naming.compose("Trà hoa vàng Ba Chẽ", shipped) == "Ba Chẽ golden camellia tea"
    assert glossary.key("hoà") == glossary.key("hòa")


@pytest.fixture
def fresh_glossary():
    """Agency rows live in a test's transaction: read the glossary again before and after."""
    glossary.forget()
    yield
    glossary.forget()


@pytest.mark.django_db
def test_an_agency_row_extends_and_overrides_the_file_for_names_and_search(fresh_glossary):
    assert naming.english_name("Khau nhục Lạng Sơn") == ""
    row = GlossaryTerm.objects.create(vietnamese="khau nhục", english="braised pork belly", synonyms="kau yuk")
    assert naming.english_name("Khau nhục Lạng Sơn") == "Lạng Sơn braised pork belly"
    [concept] = synonyms.concepts(["kau", "yuk"])
    assert ("khau", "nhuc") in concept.alternatives
    GlossaryTerm.objects.create(vietnamese="mực khô", english="dried calamari")
    assert naming.english_name("Mực khô Cô Tô") == "Cô Tô dried calamari"
    row.delete()
    assert naming.english_name("Khau nhục Lạng Sơn") == ""


@pytest.mark.django_db
def test_a_names_only_row_names_but_never_widens_a_search(fresh_glossary):
    GlossaryTerm.objects.create(vietnamese="nhục", english="pork", names_only=True)
    assert naming.english_name("Nhục Lạng Sơn") == "Lạng Sơn pork"
    [concept] = synonyms.concepts(["pork"])
    assert ("nhuc",) not in concept.alternatives


@pytest.mark.django_db
def test_another_process_finds_a_saved_row_within_the_recheck(fresh_glossary, monkeypatch):
    glossary.current()
    # A row saved elsewhere: the shared version changes, this process's rows are not forgotten.
    GlossaryTerm.objects.bulk_create([GlossaryTerm(vietnamese="khau nhục", english="braised pork belly")])
    assert naming.english_name("Khau nhục") == ""
    from django.core.cache import cache

    cache.set("catalogue:glossary:rows", "elsewhere")
    monkeypatch.setattr(glossary, "RECHECK_SECONDS", 0)
    assert naming.english_name("Khau nhục") == "Braised pork belly"
