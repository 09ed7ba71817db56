"""Trust levels: what each person has done here (days visited, posts read, time reading, likes), and
the level it earns."""
