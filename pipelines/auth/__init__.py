"""Who may do what: roles and scope (access), accounts and logins (users), the audit trail (audit)."""
