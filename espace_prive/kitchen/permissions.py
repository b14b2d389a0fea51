"""The kitchen's permissions, each named once (codenames in ``Kitchen.Meta.permissions``)."""

VIEW_MEAL_COUNTS = "kitchen.view_meal_counts"
VIEW_OCCUPANCY = "kitchen.view_occupancy"

# Granted to groups in Wagtail's group editor; the kitchens themselves are snippets.
GRANTABLE = (
    VIEW_MEAL_COUNTS,
    VIEW_OCCUPANCY,
    "kitchen.add_kitchen",
    "kitchen.change_kitchen",
    "kitchen.view_kitchen",
)
