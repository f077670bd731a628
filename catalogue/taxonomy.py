"""The OCOP product groups and sub-groups of Decision 148/QĐ-TTg (2023).

Codes follow the decision's own numbering: group I is "1", its sub-group 1 is "1.1",
and item a) of that sub-group is "1.1.a". Slugs are stable English identifiers used in
URLs and search filters.
"""

# (code, slug, Vietnamese name, English name)
TAXONOMY = [
    ("1", "food", "Thực phẩm", "Food"),
    ("1.1", "fresh-food", "Thực phẩm tươi sống", "Fresh food"),
    ("1.1.a", "fresh-produce", "Rau, củ, quả, hạt tươi", "Fresh vegetables, tubers, fruit and nuts"),
    (
        "1.1.b",
        "fresh-meat-seafood-eggs-milk",
        "Thịt, thủy sản, trứng, sữa tươi",
        "Fresh meat, aquatic products, eggs and milk",
    ),
    ("1.2", "raw-preprocessed-food", "Thực phẩm thô, sơ chế", "Raw and pre-processed food"),
    ("1.2.a", "rice-cereals", "Gạo, ngũ cốc và sản phẩm sơ chế khác", "Rice, cereals and other pre-processed grains"),
    ("1.2.b", "honey-syrups", "Mật ong, các sản phẩm từ mật ong, mật khác", "Honey, syrups and other agri-food"),
    ("1.3", "processed-food", "Thực phẩm chế biến", "Processed food"),
    ("1.3.a", "fast-food", "Thực phẩm chế biến ăn nhanh", "Fast food"),
    ("1.3.b", "processed-rice-cereals", "Chế biến từ gạo, ngũ cốc", "Processed from rice and cereals"),
    (
        "1.3.c",
        "processed-fruit-vegetables",
        "Chế biến từ rau, củ, quả, hạt",
        "Processed from vegetables, fruit and nuts",
    ),
    (
        "1.3.d",
        "processed-meat-seafood",
        "Chế biến từ thịt, trứng, sữa, thủy sản, mật ong",
        "Processed from meat, eggs, milk, seafood and honey",
    ),
    ("1.4", "condiments", "Gia vị", "Condiments"),
    (
        "1.4.a",
        "sauces-fish-sauce",
        "Tương, nước mắm, gia vị dạng lỏng khác",
        "Sauces, fish sauce and other liquid condiments",
    ),
    ("1.4.b", "other-condiments", "Gia vị khác", "Other condiments"),
    ("1.5", "tea", "Chè", "Tea"),
    ("1.5.a", "tea-leaves", "Chè tươi, chè chế biến", "Fresh and processed tea"),
    ("1.5.b", "herbal-tea", "Các sản phẩm trà khác", "Tea-like products from other plants"),
    ("1.6", "coffee-cocoa", "Cà phê, ca cao", "Coffee and cocoa"),
    ("2", "beverages", "Đồ uống", "Beverages"),
    ("2.1", "alcoholic-drinks", "Đồ uống có cồn", "Alcoholic drinks"),
    ("2.1.a", "white-spirits", "Rượu trắng", "White spirits"),
    ("2.1.b", "other-alcoholic-drinks", "Đồ uống có cồn khác", "Other alcoholic drinks"),
    ("2.2", "non-alcoholic-drinks", "Đồ uống không cồn", "Non-alcoholic drinks"),
    ("2.2.a", "mineral-water", "Nước khoáng thiên nhiên, nước uống đóng chai", "Natural mineral and bottled water"),
    ("2.2.b", "other-soft-drinks", "Đồ uống không cồn khác", "Other non-alcoholic drinks"),
    ("3", "herbal-products", "Dược liệu và sản phẩm từ dược liệu", "Medicinal herbs and herb products"),
    (
        "3.1",
        "functional-foods-medicines",
        "Thực phẩm chức năng, thuốc dược liệu, thuốc y học cổ truyền",
        "Functional foods, herbal and traditional medicines",
    ),
    ("3.2", "herbal-cosmetics", "Mỹ phẩm có thành phần từ thảo dược", "Cosmetics with herbal ingredients"),
    ("3.3", "essential-oils-herbs", "Tinh dầu và thảo dược khác", "Essential oils and other herbs"),
    ("4", "handicrafts", "Thủ công mỹ nghệ", "Handicrafts"),
    (
        "4.1",
        "household-decorative-crafts",
        "Thủ công mỹ nghệ gia dụng, trang trí",
        "Household and decorative handicrafts",
    ),
    ("4.2", "textiles-garments", "Vải, may mặc", "Textiles and garments"),
    ("5", "ornamental-organisms", "Sinh vật cảnh", "Ornamental organisms"),
    ("5.1", "flowers", "Hoa", "Flowers"),
    ("5.2", "ornamental-plants", "Cây cảnh", "Ornamental plants"),
    ("5.3", "ornamental-animals", "Động vật cảnh", "Ornamental animals"),
    (
        "6",
        "community-tourism",
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
        "Community tourism, eco-tourism and tourist sites",
    ),
]
