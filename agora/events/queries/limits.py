"""How much each events page shows: the agenda's page, the sidebar, the map, a day's cell, a feed's past."""

from __future__ import annotations

# A month grid shows six weeks at most; the agenda pages 30 dates at a time.
AGENDA_PAGE = 30
UPCOMING_SIDEBAR = 5
MAP_LIMIT = 2000
MAP_LIST = 100  # events in person listed beside the map (the agenda pages through them all)
DAY_CELL = 4  # dates shown in a month's day cell; the rest are "+N more", linking to that week
FEED_PAST_DAYS = 90
EARTH_KM = 6371.0
