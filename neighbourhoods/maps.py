"""Texts for the map widgets: Leaflet.draw's toolbar in the page's language.

maps.js merges `draw_texts()` (rendered with json_script as "map-draw-texts") into
`L.drawLocal`, so no "Draw a polygon" appears on a German page.
"""

from django.utils.translation import gettext as _


def draw_texts():
    cancel, finish = _("Abbrechen"), _("Fertig")
    return {
        "draw": {
            "toolbar": {
                "actions": {"title": _("Zeichnen abbrechen"), "text": cancel},
                "finish": {"title": _("Zeichnen beenden"), "text": finish},
                "undo": {"title": _("Letzten Punkt löschen"), "text": _("Letzten Punkt löschen")},
                "buttons": {"polygon": _("Fläche zeichnen")},
            },
            "handlers": {
                "polygon": {
                    "tooltip": {
                        "start": _("Klicken, um die Fläche zu beginnen."),
                        "cont": _("Klicken, um weiterzuzeichnen."),
                        "end": _("Auf den ersten Punkt klicken, um die Fläche zu schließen."),
                    }
                },
                "polyline": {
                    "error": _("<strong>Fehler:</strong> Kanten dürfen sich nicht kreuzen!"),
                },
            },
        },
        "edit": {
            "toolbar": {
                "actions": {
                    "save": {"title": _("Änderungen übernehmen"), "text": _("Übernehmen")},
                    "cancel": {"title": _("Bearbeiten abbrechen"), "text": cancel},
                    "clearAll": {"title": _("Alle Flächen löschen"), "text": _("Alle löschen")},
                },
                "buttons": {
                    "edit": _("Flächen bearbeiten"),
                    "editDisabled": _("Keine Flächen zum Bearbeiten"),
                    "remove": _("Flächen löschen"),
                    "removeDisabled": _("Keine Flächen zum Löschen"),
                },
            },
            "handlers": {
                "edit": {
                    "tooltip": {
                        "text": _("Eckpunkte ziehen, um die Fläche zu ändern."),
                        "subtext": _("„Abbrechen“ macht die Änderungen rückgängig."),
                    }
                },
                "remove": {"tooltip": {"text": _("Auf eine Fläche klicken, um sie zu löschen.")}},
            },
        },
    }
