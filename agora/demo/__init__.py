"""Demo and benchmark content: `manage.py seed_demo` (a movement's space in many languages) and
`manage.py seed_bench` (scaled data for bench/). It sits on the top floor, beside the URL map: it may
import every app, and no app imports it."""
