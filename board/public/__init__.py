"""Public pages: threads, members' own pages, health."""
