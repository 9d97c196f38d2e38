"""A small offline catalogue of grocery product titles for the product-search demo.

The titles were written for this book in the style of an online grocery shop (the
fine-food reviews of :mod:`ecomxai.data.reviews` are about the same kind of products).
They are short on purpose: a bi-encoder compares a query with each title, and short
titles keep the token-level explanations readable.
"""

from __future__ import annotations

__all__ = ["PRODUCT_TITLES", "DEMO_QUERIES", "product_titles"]

PRODUCT_TITLES: tuple[str, ...] = (
    "Dark roast coffee pods, 18 count, bold and smoky",
    "Medium roast ground coffee, 12 oz bag",
    "Decaf espresso beans, Italian roast, 1 lb",
    "Instant coffee sticks with milk and sugar, 30 pack",
    "Organic green tea bags, 100 count",
    "Chamomile herbal tea, caffeine free, 20 bags",
    "Earl Grey black tea with bergamot, loose leaf",
    "Sugar-free gummy bears, assorted fruit flavors",
    "Dark chocolate bar, 85% cocoa, 3.5 oz",
    "Milk chocolate covered almonds, 1 lb tub",
    "Sea salt caramel popcorn, family size",
    "Hard sourdough pretzels, 2 lb canister",
    "Gluten-free crackers with rosemary, 4.4 oz",
    "Salted roasted cashews, 16 oz jar",
    "Dried apricots and apples, no sugar added",
    "Organic raw honey, 16 oz squeeze bottle",
    "Pure maple syrup, grade A amber, 32 oz",
    "Extra virgin olive oil, cold pressed, 1 liter",
    "Hot sauce made with habanero peppers, 5 oz",
    "Whole wheat spaghetti pasta, 16 oz box",
    "Instant ramen noodles, spicy chicken, 6 pack",
    "Steel cut oats, quick cooking, 24 oz",
    "Granola with almonds and honey, high protein",
    "Coconut water, no sugar added, 12 pack",
    "Sparkling mineral water, lime flavor, 24 cans",
    "Energy drink, sugar-free, 12 fl oz cans",
    "Grain-free dry cat food with salmon, 5 lb",
    "Hairball control cat treats, chicken flavor",
    "Puppy dry dog food, lamb and rice, 15 lb",
    "Dental chew sticks for small dogs, 30 count",
    "Baby food pouches, organic pear and spinach",
    "Protein powder, chocolate whey, 2 lb",
    "Vegan protein bars, peanut butter, 12 count",
    "Himalayan pink salt, fine grain, 2 lb",
    "Ground cinnamon, organic Ceylon, 2 oz",
    "Vanilla extract, pure Madagascar, 4 fl oz",
    "Almond flour, blanched, gluten free, 3 lb",
    "Licorice candy twists, strawberry, 1 lb bag",
    "Peppermint breath mints, sugar free, 6 tins",
    "Beef jerky, teriyaki, 10 oz resealable bag",
)

#: Shopper queries used in the chapter (each has an obvious best title and decoys).
DEMO_QUERIES: tuple[str, ...] = (
    "strong coffee capsules",
    "candy without sugar",
    "food for my kitten",
    "healthy breakfast cereal",
)


def product_titles() -> list[str]:
    """The catalogue as a fresh list (callers may reorder or extend it)."""
    return list(PRODUCT_TITLES)
