-- Group names are told apart regardless of case: "Team" and "team" cannot both exist.
-- (Billing project names are lower-case only, so they already are.)
CREATE UNIQUE INDEX groups_name_any_case ON groups (lower(name));
