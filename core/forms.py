"""How every form of the site, the admin's included, draws its fields."""

from django import forms
from django.forms.renderers import DjangoTemplates


class TextDirectionBoundField(forms.BoundField):
    """A field whose text box or text area has dir="auto": what is typed or stored there
    reads right to left when it is Arabic and left to right when it is English, whatever
    the page's direction. A widget that names its own direction keeps it."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, (forms.TextInput, forms.Textarea)) and "dir" not in widget.attrs:
            attrs.setdefault("dir", "auto")
        return attrs


class FormRenderer(DjangoTemplates):
    """Django's renderer (settings.FORM_RENDERER), with fields that find their direction.

    One place for every form, so that the admin of each app, its inlines and its
    custom pages get it without saying so.
    """

    bound_field_class = TextDirectionBoundField
