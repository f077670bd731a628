import pytest

from catalogue.models import Category

pytestmark = pytest.mark.django_db


def test_six_groups_of_decision_148():
    groups = Category.objects.groups()
    assert [g.name_en for g in groups] == [
        "Food",
        "Beverages",
        "Medicinal herbs and herb products",
        "Handicrafts",
        "Ornamental organisms",
        "Community tourism, eco-tourism and tourist sites",
    ]


def test_sub_groups_hang_under_their_group():
    food = Category.objects.get(slug="food")
    assert [c.name_en for c in food.children.all()] == [
        "Fresh food",
        "Raw and pre-processed food",
        "Processed food",
        "Condiments",
        "Tea",
        "Coffee and cocoa",
    ]
    fish_sauce = Category.objects.get(code="1.4.a")
    assert fish_sauce.parent.slug == "condiments"
    assert fish_sauce.group.slug == "food"
    assert fish_sauce.name == "Tương, nước mắm, gia vị dạng lỏng khác"


def test_subtree_of_a_group_holds_every_descendant_and_nothing_else():
    beverages = Category.objects.get(slug="beverages")
    codes = list(Category.objects.subtree(beverages).values_list("code", flat=True))
    assert codes == ["2", "2.1", "2.1.a", "2.1.b", "2.2", "2.2.a", "2.2.b"]
    # "1" must not swallow a hypothetical "10": the subtree matches on the dot.
    assert "2" not in Category.objects.subtree(Category.objects.get(code="1")).values_list("code", flat=True)


def test_every_category_has_both_names_and_a_unique_slug():
    slugs = list(Category.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 38
    assert not Category.objects.filter(name="").exists()
    assert not Category.objects.filter(name_en="").exists()
