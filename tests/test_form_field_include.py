from django import forms
from django.template.loader import render_to_string


class SampleForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail", help_text="Celle de vos factures.")
    days = forms.MultipleChoiceField(
        label="Jours",
        choices=[("lun", "Lundi"), ("mar", "Mardi")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def test_help_and_errors_are_announced_with_the_input():
    form = SampleForm(data={"email": "pas-une-adresse"})
    html = render_to_string("includes/field.html", {"field": form["email"]})
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert 'id="id_email_helptext"' in html
    assert 'id="id_email_error"' in html
    assert 'aria-invalid="true"' in html


def test_a_group_of_choices_is_a_fieldset_with_a_legend():
    html = render_to_string("includes/field.html", {"field": SampleForm()["days"]})
    assert "<fieldset" in html and "<legend>Jours" in html
    assert "<label for=" not in html.split("</legend>")[0]
