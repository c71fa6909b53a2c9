"""Staff accounts' workflows, one module each: personal_data (a person's data on
request: export and erasure) and password_reset (the reset email owed)."""
