-- The directory's filters and public pages: each entry's own number (its workspace's id, kept
-- after deletion), its primary purposes as ',genetic,other,' and the lower-cased words its
-- search looks in (names and the research purpose's answers, never the JSON's field names).
ALTER TABLE directory_entries ADD COLUMN workspace_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE directory_entries ADD COLUMN purposes TEXT NOT NULL DEFAULT ',';
ALTER TABLE directory_entries ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

UPDATE directory_entries SET
    workspace_id = CAST(split_part(workspace_key, '#', 2) AS BIGINT),
    purposes = ',' || COALESCE(
        (SELECT string_agg(p, ',') FROM jsonb_array_elements_text(
            COALESCE(research_purpose::jsonb -> 'purposes', '[]'::jsonb)) AS p), ''
    ) || ',',
    search_text = LOWER(
        display_name || chr(10) || name || chr(10) ||
        COALESCE(research_purpose::jsonb ->> 'scientific_questions', '') || chr(10) ||
        COALESCE(research_purpose::jsonb ->> 'scientific_approaches', '') || chr(10) ||
        COALESCE(research_purpose::jsonb ->> 'anticipated_findings', '') || chr(10) ||
        COALESCE(research_purpose::jsonb ->> 'disease_name', '') || chr(10) ||
        COALESCE(research_purpose::jsonb ->> 'other_purpose', '')
    );

CREATE INDEX directory_entries_by_workspace ON directory_entries(workspace_id);
CREATE INDEX directory_entries_by_tier_time ON directory_entries(tier, created_at);
