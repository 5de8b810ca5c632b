"""Who may do what: roles and scope (access), when input closes and its exceptions (deadlines), accounts and logins (users), the audit trail (audit)."""
