"""Everything HTTP: one keystoneauth1 Adapter shared by every command."""
