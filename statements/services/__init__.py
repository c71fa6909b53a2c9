"""The workflows of statements, one module each: lifecycle (publish, schedule, archive,
retract), cosigning, signoff, and outgoing (the emails owed)."""
