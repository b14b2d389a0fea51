"""The menus' list-of-choices field (a dish's labels and allergens).

The field itself lives in ``espace_prive.choice_list`` (a child's health record uses it
too); this subclass keeps the path the migrations of ``pages`` name.
"""

from espace_prive import choice_list


class ChoiceListField(choice_list.ChoiceListField):
    """A JSON list whose items are values of ``choices_class`` (a TextChoices)."""
