-- The directory's filters and public pages: each entry's own number (its workspace's id, kept
-- after deletion), its primary purposes as ',genetic,other,' and the lower-cased words its
-- search looks in (names and the research purpose's answers, never the JSON's field names).
ALTER TABLE directory_entries ADD COLUMN workspace_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE directory_entries ADD COLUMN purposes TEXT NOT NULL DEFAULT ',';
ALTER TABLE directory_entries ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

UPDATE directory_entries SET
    workspace_id = CAST(substr(workspace_key, instr(workspace_key, '#') + 1) AS INTEGER),
    purposes = ',' || COALESCE(
        (SELECT group_concat(value, ',') FROM json_each(research_purpose, '$.purposes')), ''
    ) || ',',
    search_text = LOWER(
        display_name || char(10) || name || char(10) ||
        COALESCE(json_extract(research_purpose, '$.scientific_questions'), '') || char(10) ||
        COALESCE(json_extract(research_purpose, '$.scientific_approaches'), '') || char(10) ||
        COALESCE(json_extract(research_purpose, '$.anticipated_findings'), '') || char(10) ||
        COALESCE(json_extract(research_purpose, '$.disease_name'), '') || char(10) ||
        COALESCE(json_extract(research_purpose, '$.other_purpose'), '')
    );

CREATE INDEX directory_entries_by_workspace ON directory_entries(workspace_id);
CREATE INDEX directory_entries_by_tier_time ON directory_entries(tier, created_at);
