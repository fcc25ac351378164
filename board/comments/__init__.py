"""Comment submission and reading, shared by the pages, the embed and the API."""
