"""Admin area: sites, threads, screening word lists, policy and staff (admins only)."""
