"""Interface texts shared by widgets that must not import each other (start-up order)."""

PANEL_HINT = "Click a point on the body map, or search by name, code or complaint, to see how to find and press it."

# Marks what the safety profile flags, in lists, the map and the routine editor.
FLAG_MARK = "⚠"
