-- Per server: the tools tasks may call and the roles whose tasks may use it (NULL: all), and the role
-- of whoever registered it, so that only admins delete or replace what an admin registered.
ALTER TABLE mcp_servers
    ADD COLUMN allowed_tools      jsonb CHECK (allowed_tools IS NULL OR jsonb_typeof(allowed_tools) = 'array'),
    ADD COLUMN allowed_roles      jsonb CHECK (allowed_roles IS NULL OR jsonb_typeof(allowed_roles) = 'array'),
    ADD COLUMN registered_by_role varchar(16) CHECK (registered_by_role IN ('admin', 'operator', 'user', 'viewer'));

-- Servers registered before: by their registrant's role now; those without one (the dev launcher's) as admin's.
UPDATE mcp_servers s SET registered_by_role = COALESCE((SELECT u.role FROM users u WHERE u.id = s.created_by), 'admin');
