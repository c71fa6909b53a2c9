"""The workflows of statements, one module each: lifecycle (publish, schedule, archive,
retract), cosigning, signoff, outgoing (the emails owed) and exports."""
