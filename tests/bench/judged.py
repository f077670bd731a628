"""A judged set of buyer queries on the demo catalogue, and how well an engine answers them.

Each query is written as a buyer types it (English or Vietnamese, with or without
diacritics); its expected products are the demo products (catalogue/demo/products.json,
by `key`, which the loader makes the page slug) that buyer wants, judged by reading the
catalogue, never by running an engine. A product that merely shares a word is not
expected: "tea" wants tea, not the tea set; "coffee" wants coffee, not coffee-blossom
honey. `evaluate` scores any engine against them; `tests/search/test_relevance.py` holds
every engine to a floor and `python -m tests.bench.relevance` prints the table.
"""

from dataclasses import dataclass

FIRST_PAGE = 24  # the search page's page size (search.contract.PAGE_SIZE)
TOP = 10

HONEY = ("mat-ong-hoa-ca-phe-ea-kar", "mat-ong-rung-tram-u-minh")
CERAMICS = (
    "binh-gom-men-ran-bat-trang",
    "bo-am-chen-men-lam-bat-trang",  # a glazed stoneware tea set from a Bát Tràng pottery
    "binh-gom-bau-truc",
    "tuong-gom-vu-nu-cham",
)
SPIRITS_AND_WINES = (
    "ruou-ngo-men-la-ban-pho",
    "ruou-lang-van",
    "ruou-man-moc-chau",
    "ruou-ba-kich-ba-che",
    "ruou-bau-da",
    "ruou-vang-nho-do-ninh-thuan",
    "ruou-sim-phu-quoc",
)
FISH_SAUCE = ("nuoc-mam-cat-hai", "nuoc-mam-phu-quoc-43-dam", "nuoc-mam-phu-quoc-35-dam")
TEAS = (
    "bach-tra-shan-tuyet-hoang-su-phi",
    "hong-tra-shan-tuyet-hoang-su-phi",
    "che-tan-cuong-dac-biet",
    "che-non-tom-tan-cuong",
    "tra-o-long-moc-chau",
    "tra-xanh-moc-chau",
    "tra-cung-dinh-hue",
    "tra-hoa-sam-ngoc-linh",
    "tra-atiso-tui-loc-da-lat",
    "tra-tim-sen-thap-muoi",
)
COFFEE = ("ca-phe-rang-xay-buon-ma-thuot", "ca-phe-nhan-robusta-fine")
RICE = ("gao-nep-tu-le", "gao-seng-cu-dien-bien", "gao-nang-thom-cho-dao", "gao-st25-my-xuyen", "gao-st25-lua-tom")
ESSENTIAL_OILS = ("tinh-dau-que-van-yen", "tinh-dau-hoi-van-quan", "tinh-dau-tram-phong-dien")

# query as typed -> the products that buyer wants
JUDGED = {
    "honey": HONEY,
    "mật ong": HONEY,
    "ceramic": CERAMICS,
    "gốm": CERAMICS,
    "gom bat trang": ("binh-gom-men-ran-bat-trang", "bo-am-chen-men-lam-bat-trang"),
    "pottery vase": ("binh-gom-men-ran-bat-trang", "binh-gom-bau-truc"),
    "wine": SPIRITS_AND_WINES,
    "rượu": SPIRITS_AND_WINES,
    "fish sauce": FISH_SAUCE,
    "nuoc mam phu quoc": ("nuoc-mam-phu-quoc-43-dam", "nuoc-mam-phu-quoc-35-dam"),
    "tea": TEAS,
    # Chè nõn tôm Tân Cương is a green tea though its text never says so.
    "green tea": ("che-tan-cuong-dac-biet", "che-non-tom-tan-cuong", "tra-xanh-moc-chau"),
    "coffee": COFFEE,
    "robusta": COFFEE,
    "rice": RICE,
    "st25": ("gao-st25-my-xuyen", "gao-st25-lua-tom"),
    "silk scarf": ("khan-lua-to-tam-van-phuc",),
    "lantern": ("den-long-lua-hoi-an", "den-long-tre-gap-hoi-an"),
    "dried fruit": (
        "long-nhan-say-hung-yen",
        "vai-thieu-say-kho-luc-ngan",
        "man-hau-say-deo-moc-chau",
        "nho-say-deo-ninh-thuan",
    ),
    "dried shrimp": ("tom-kho-rach-goc",),
    "ginseng": ("sam-lai-chau-cu-tuoi", "cao-sam-ngoc-linh", "tra-hoa-sam-ngoc-linh"),
    "essential oil": ESSENTIAL_OILS,
    "tinh dau": ESSENTIAL_OILS,
    "bird's nest": ("nuoc-yen-sao-dong-lon", "yen-sao-tinh-che"),
    "lotus": ("khu-du-lich-dong-sen-thap-muoi", "tra-tim-sen-thap-muoi", "hat-sen-say-gion-thap-muoi"),
    # Every OCOP group-6 product: the group is "community tourism, eco-tourism and tourist sites".
    "community tourism": (
        "du-lich-cong-dong-ban-cat-cat",
        "du-lich-cong-dong-ban-lac",
        "lang-rau-tra-que",
        "du-lich-miet-vuon-phong-dien",
        "khu-du-lich-dong-sen-thap-muoi",
    ),
    "orchid": ("lan-ho-diep-da-lat",),
    "salt": ("muoi-hat-bac-lieu", "muoi-tom-tay-ninh"),
    # Mè xửng is a pulled sesame-and-peanut candy.
    "candy": ("keo-cu-do-ha-tinh", "keo-guong-quang-ngai", "keo-dua-sua-la-dua", "me-xung-hue"),
    "lacquer": ("tranh-son-mai-binh-duong", "hop-son-mai-kham-trai"),
    "noodles": ("mien-dong-phia-den", "hu-tieu-my-tho"),
    "pepper": ("ho-tieu-gio-linh",),
}


@dataclass
class Score:
    query: str
    expected: int
    found: int  # results in all
    k: int
    precision_at_k: float
    recall_first_page: float
    recall: float
    missed: tuple  # expected products not found at all


def score(query, expected, ranked):
    """Precision in the first k = min(10, expected) results, recall on the first page and overall."""
    expected = set(expected)
    k = min(TOP, len(expected))
    return Score(
        query=query,
        expected=len(expected),
        found=len(ranked),
        k=k,
        precision_at_k=len(expected & set(ranked[:k])) / k,
        recall_first_page=len(expected & set(ranked[:FIRST_PAGE])) / len(expected),
        recall=len(expected & set(ranked)) / len(expected),
        missed=tuple(sorted(expected - set(ranked))),
    )


@dataclass
class Evaluation:
    scores: list

    def _mean(self, name):
        return sum(getattr(s, name) for s in self.scores) / len(self.scores)

    @property
    def precision_at_k(self):
        return self._mean("precision_at_k")

    @property
    def recall_first_page(self):
        return self._mean("recall_first_page")

    @property
    def recall(self):
        return self._mean("recall")


def evaluate(run_query, visible=None, judged=None):
    """Score `run_query(q) -> product slugs in rank order, every result` on the judged set.

    `visible` (slugs) narrows each expectation to the products that can be shown today: a
    demo record expires or is revoked as the calendar moves on, and no engine may list it.
    """
    judged = JUDGED if judged is None else judged
    scores = []
    for q, expected in judged.items():
        wanted = [slug for slug in expected if visible is None or slug in visible]
        if wanted:
            scores.append(score(q, wanted, list(run_query(q))))
    return Evaluation(scores)
