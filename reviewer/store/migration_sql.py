"""The SQL of every released migration, frozen: what each one runs, as text.

A review file made by any released version must migrate the same way for ever, so a
released step is plain SQL here that never changes and never depends on code that
can (the screening triggers of m003 were once built by Python functions; this is their
text as those functions produced it). ``reviewer.store.migrations`` registers the
steps in the order they run; a new migration adds its own constant below, named after
its number.
"""

# ruff: noqa: W291  (m003's trigger text is kept byte for byte, its trailing spaces too)

# m001_initial: records, sources, values, suggestions, decisions, events, highlights, search.
M001 = """
create table review_meta (
    key text primary key,
    value text not null
);
create table sources (
    id integer primary key,
    name text not null,
    path text not null default '',
    sha256 text not null,
    size integer not null,
    format text not null,
    imported_at text not null,
    status text not null default 'complete'
);
create index sources_sha256 on sources(sha256);
create table records (
    id integer primary key,
    source_id integer references sources(id),
    source_index integer not null default 0,
    source_start integer,
    source_end integer,
    source_line integer,
    title text not null default '',
    authors text not null default '[]',
    journal text not null default '',
    year integer,
    volume text not null default '',
    issue text not null default '',
    pages text not null default '',
    doi text not null default '',
    pmid text not null default '',
    pmcid text not null default '',
    trial_ids text not null default '[]',
    abstract text not null default '',
    keywords text not null default '[]',
    type text not null default '',
    url text not null default '',
    text text not null default '',
    page_offsets text not null default '[]',
    extra text not null default '{}',
    duplicate_of integer references records(id),
    created_at text not null default ''
);
create index records_doi on records(doi) where doi != '';
create index records_pmid on records(pmid) where pmid != '';
create index records_source on records(source_id);
create table templates (
    id integer primary key,
    name text not null,
    json text not null,
    created_at text not null
);
create table field_values (
    record_id integer not null references records(id),
    field text not null,
    value text,
    reviewer text not null,
    time text not null,
    provenance text not null default '[]',
    primary key (record_id, field)
);
create table suggestions (
    id integer primary key,
    record_id integer not null references records(id),
    field text not null,
    value text,
    start integer not null,
    "end" integer not null,
    quote text not null,
    confidence real not null,
    suggester text not null,
    version text not null,
    status text not null default 'pending'
);
create index suggestions_record on suggestions(record_id, field);
create table decisions (
    record_id integer not null references records(id),
    stage text not null,
    reviewer text not null,
    decision text not null check (decision in ('include', 'exclude', 'maybe')),
    reason text not null default '',
    note text not null default '',
    time text not null,
    primary key (record_id, stage, reviewer)
);
create table highlights (
    id integer primary key,
    record_id integer not null references records(id),
    field text,
    start integer not null,
    "end" integer not null,
    quote text not null,
    prefix text not null default '',
    suffix text not null default '',
    page integer,
    note text not null default '',
    reviewer text not null,
    time text not null
);
create index highlights_record on highlights(record_id);
create table events (
    seq integer primary key,
    id text not null unique,
    time text not null,
    reviewer text not null,
    kind text not null,
    record_id integer,
    payload text not null default '{}'
);
create index events_record on events(record_id);
create trigger events_no_update before update on events
begin select raise(abort, 'the event log is append-only'); end;
create trigger events_no_delete before delete on events
begin select raise(abort, 'the event log is append-only'); end;
create virtual table records_fts using fts5(
    title, authors, text, content='records', content_rowid='id'
);
create trigger records_ai after insert on records begin
  insert into records_fts(rowid, title, authors, text)
  values (new.id, new.title, new.authors, new.text);
end;
create trigger records_ad after delete on records begin
  insert into records_fts(records_fts, rowid, title, authors, text)
  values ('delete', old.id, old.title, old.authors, old.text);
end;
create trigger records_au after update of title, authors, text on records begin
  insert into records_fts(records_fts, rowid, title, authors, text)
  values ('delete', old.id, old.title, old.authors, old.text);
  insert into records_fts(rowid, title, authors, text)
  values (new.id, new.title, new.authors, new.text);
end;
"""

# m002_annotation: spans that could not be found again (anchor orphans).
M002 = """
create table anchor_orphans (
    id integer primary key,
    record_id integer not null references records(id),
    kind text not null check (kind in ('provenance', 'highlight')),
    field text,
    highlight_id integer,
    start integer not null,
    "end" integer not null,
    quote text not null,
    prefix text not null default '',
    suffix text not null default '',
    page integer,
    note text not null default '',
    reviewer text not null,
    time text not null,
    orphaned_at text not null,
    status text not null default 'open' check (status in ('open', 'reattached', 'dismissed'))
);
create index anchor_orphans_record on anchor_orphans(record_id, status);
"""

# m003_screening: resolutions, the screening table, tags, full texts, merge conflicts.
M003 = """
create table resolutions (
    record_id integer not null references records(id),
    stage text not null,
    decision text not null check (decision in ('include', 'exclude')),
    reason text not null default '',
    note text not null default '',
    resolver text not null,
    time text not null,
    primary key (record_id, stage)
);
create table screening (
    record_id integer not null,
    stage text not null,
    includes integer not null,   -- include or maybe
    maybes integer not null,
    excludes integer not null,
    resolution text,
    final text,                  -- include, exclude, or null: undecided or in conflict
    reason text not null,        -- the exclusion reason counted for the record
    disagree integer not null,   -- reviewers disagree (resolved or not)
    conflict integer not null,   -- they disagree and nobody has resolved it
    primary key (stage, record_id)  -- a stage's rows are contiguous: counts are one range scan
) without rowid;
create index screening_final on screening(stage, final, record_id);
create index screening_conflict on screening(stage, conflict, record_id);
create index screening_reason on screening(stage, reason, record_id) where reason != '';
create index screening_maybe on screening(stage, record_id) where maybes > 0;
create index decisions_reviewer on decisions(stage, reviewer, decision, record_id);
create index decisions_reason on decisions(stage, reviewer, reason, record_id) where reason != '';
create index events_reviewer on events(reviewer, seq);
create table record_tags (
    record_id integer not null references records(id),
    tag text not null collate nocase,
    reviewer text not null,
    time text not null,
    primary key (record_id, tag)
);
create index record_tags_tag on record_tags(tag, record_id);
create table fulltexts (
    record_id integer primary key references records(id),
    path text not null,
    sha256 text not null,
    pages integer not null,
    text text not null,
    page_offsets text not null default '[]',
    reviewer text not null,
    time text not null
);
create virtual table fulltexts_fts using fts5(text, content='fulltexts', content_rowid='record_id');
create trigger fulltexts_ai after insert on fulltexts begin
  insert into fulltexts_fts(rowid, text) values (new.record_id, new.text);
end;
create trigger fulltexts_ad after delete on fulltexts begin
  insert into fulltexts_fts(fulltexts_fts, rowid, text) values ('delete', old.record_id, old.text);
end;
create trigger fulltexts_au after update of text on fulltexts begin
  insert into fulltexts_fts(fulltexts_fts, rowid, text) values ('delete', old.record_id, old.text);
  insert into fulltexts_fts(rowid, text) values (new.record_id, new.text);
end;
create table merge_conflicts (
    id text primary key,         -- the id of the merge.conflict event that raised it
    key text not null,           -- JSON array naming the state, e.g. ["decision", 3, "full_text", "ann"]
    record_id integer,
    kept text,                   -- JSON: the state the merging copy kept
    other text,                  -- JSON: the state the other copy had
    source text not null,        -- the other copy's file
    reviewer text not null,      -- who merged
    time text not null,
    settled_by text,
    settled_at text,
    choice text                  -- kept or other
);
create index merge_conflicts_key on merge_conflicts(key, settled_at);
"""

# m003_screening: the triggers that keep ``screening`` from decisions and resolutions
# (as released versions generated them, byte for byte).
M003_TRIGGERS = """create trigger decisions_screening_ai after insert on decisions begin
delete from screening where record_id = new.record_id and stage = new.stage;
insert into screening (record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict) 
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select new.record_id as record_id, new.stage as stage,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = new.record_id and +stage = new.stage) as res,
    (select reason from resolutions where record_id = new.record_id and +stage = new.stage) as res_reason,
    (select reason from decisions where record_id = new.record_id and +stage = new.stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    )
where i + e > 0 or res is not null;
end;
create trigger decisions_screening_ad after delete on decisions begin
delete from screening where record_id = old.record_id and stage = old.stage;
insert into screening (record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict) 
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select old.record_id as record_id, old.stage as stage,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = old.record_id and +stage = old.stage) as res,
    (select reason from resolutions where record_id = old.record_id and +stage = old.stage) as res_reason,
    (select reason from decisions where record_id = old.record_id and +stage = old.stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    )
where i + e > 0 or res is not null;
end;
create trigger decisions_screening_au after update on decisions begin
delete from screening where record_id = old.record_id and stage = old.stage;
insert into screening (record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict) 
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select old.record_id as record_id, old.stage as stage,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = old.record_id and +stage = old.stage) as res,
    (select reason from resolutions where record_id = old.record_id and +stage = old.stage) as res_reason,
    (select reason from decisions where record_id = old.record_id and +stage = old.stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    )
where i + e > 0 or res is not null;
delete from screening where record_id = new.record_id and stage = new.stage;
insert into screening (record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict) 
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select new.record_id as record_id, new.stage as stage,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = new.record_id and +stage = new.stage) as res,
    (select reason from resolutions where record_id = new.record_id and +stage = new.stage) as res_reason,
    (select reason from decisions where record_id = new.record_id and +stage = new.stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    )
where i + e > 0 or res is not null;
end;
create trigger resolutions_screening_ai after insert on resolutions begin
delete from screening where record_id = new.record_id and stage = new.stage;
insert into screening (record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict) 
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select new.record_id as record_id, new.stage as stage,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = new.record_id and +stage = new.stage) as res,
    (select reason from resolutions where record_id = new.record_id and +stage = new.stage) as res_reason,
    (select reason from decisions where record_id = new.record_id and +stage = new.stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    )
where i + e > 0 or res is not null;
end;
create trigger resolutions_screening_ad after delete on resolutions begin
delete from screening where record_id = old.record_id and stage = old.stage;
insert into screening (record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict) 
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select old.record_id as record_id, old.stage as stage,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = old.record_id and +stage = old.stage) as res,
    (select reason from resolutions where record_id = old.record_id and +stage = old.stage) as res_reason,
    (select reason from decisions where record_id = old.record_id and +stage = old.stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    )
where i + e > 0 or res is not null;
end;
create trigger resolutions_screening_au after update on resolutions begin
delete from screening where record_id = old.record_id and stage = old.stage;
insert into screening (record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict) 
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select old.record_id as record_id, old.stage as stage,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = old.record_id and +stage = old.stage) as res,
    (select reason from resolutions where record_id = old.record_id and +stage = old.stage) as res_reason,
    (select reason from decisions where record_id = old.record_id and +stage = old.stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    )
where i + e > 0 or res is not null;
delete from screening where record_id = new.record_id and stage = new.stage;
insert into screening (record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict) 
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select new.record_id as record_id, new.stage as stage,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = new.record_id and +stage = new.stage) as res,
    (select reason from resolutions where record_id = new.record_id and +stage = new.stage) as res_reason,
    (select reason from decisions where record_id = new.record_id and +stage = new.stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    )
where i + e > 0 or res is not null;
end;"""

# m003_screening: ``screening`` filled from the decisions and resolutions already there.
M003_BACKFILL = """insert into screening (record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict) 
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select k.record_id as record_id, k.stage as stage,
    (select count(*) from decisions where record_id = k.record_id and +stage = k.stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = k.record_id and +stage = k.stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = k.record_id and +stage = k.stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = k.record_id and +stage = k.stage) as res,
    (select reason from resolutions where record_id = k.record_id and +stage = k.stage) as res_reason,
    (select reason from decisions where record_id = k.record_id and +stage = k.stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    from (select record_id, stage from decisions union select record_id, stage from resolutions) k)
where i + e > 0 or res is not null"""

# m004_duplicates: duplicate candidates; records indexed by the store, not a trigger.
M004 = """
create table duplicate_candidates (
    id integer primary key,
    record_id integer not null references records(id),
    candidate_of integer not null references records(id),
    score real not null,
    status text not null default 'pending'
        check (status in ('pending', 'confirmed', 'rejected')),
    created_at text not null,
    reviewer text not null default '',
    decided_at text,
    unique (record_id, candidate_of)
);
create index duplicate_candidates_status on duplicate_candidates(status, record_id);
create index records_duplicate_of on records(duplicate_of) where duplicate_of is not null;
drop trigger if exists records_ai;
insert into records_fts(records_fts, rank) values ('automerge', 16);
"""

# m005_suggestion_detail: what a suggested value cannot hold (a confidence interval).
M005 = """alter table suggestions add column detail text"""

# m006_identifier_index: PMCIDs and trial registry ids looked up directly.
M006 = """
create index records_pmcid on records(pmcid) where pmcid != '';
create table record_trial_ids (
    trial_id text not null,
    record_id integer not null references records(id),
    primary key (trial_id, record_id)
) without rowid;
insert or ignore into record_trial_ids (trial_id, record_id)
select j.value, r.id from records r, json_each(r.trial_ids) j where r.trial_ids != '[]';
"""

# m007_source_labels_and_originals.
M007 = """
alter table sources add column label text not null default '';
create table record_originals (
    record_id integer primary key references records(id),
    fields text not null,
    text text not null,
    page_offsets text not null default '[]',
    saved_at text not null
);
"""

# m008_dedup_keys_and_drafts.
M008 = """
create table dedup_keys (
    record_id integer primary key references records(id),
    title text not null default '',   -- folded letters and digits, '' when too short
                                      -- (not indexed: found through head, which it starts)
    marks text not null default '',   -- notice and part markers, joined by '|'
    head text not null default '',    -- '<' and the title's first characters
    tail text not null default '',    -- '>' and its last characters
    doi text not null default ''      -- normalised
);
create index dedup_keys_head on dedup_keys(head) where head != '';
create index dedup_keys_tail on dedup_keys(tail) where tail != '';
create index dedup_keys_doi on dedup_keys(doi) where doi != '';
insert into review_meta (key, value)
select 'dedup_keys', '1' where not exists (select 1 from records);
create table drafts (
    record_id integer not null references records(id),
    field text not null,
    reviewer text not null,
    text text not null,
    time text not null,
    primary key (record_id, field, reviewer)
) without rowid;
"""

# m010_rankings.
M010 = """
create table rankings (
    stage text not null,
    reviewer text not null,          -- '' for the ranking shared while not blinded
    trained_at text not null,
    includes integer not null,
    excludes integer not null,
    model text not null default '{}',  -- the model's settings, as JSON
    record_ids blob not null,        -- int64 little-endian, best first
    scores blob not null,            -- float32 little-endian, in the same order
    primary key (stage, reviewer)
);
"""

# m011_results.
M011 = """
create table result_cells (
    record_id integer not null references records(id),
    item text not null,
    field text not null,
    value text not null,
    reviewer text not null,
    time text not null,
    provenance text not null default '[]',
    primary key (record_id, item, field)
);
create index result_cells_item on result_cells(item);
"""

# m013_record_uids.
M013 = """
create table record_uids (
    record_id integer primary key references records(id),
    uid text not null unique
);
insert into record_uids (record_id, uid) select id, lower(hex(randomblob(16))) from records;
create table sync_pulled (seq integer primary key);
"""

# m014_screening_pause: the decisions' screening triggers as in m003, each skipped while
# a transaction has paused them (a bulk decision keeps ``screening`` itself, set-based).
M014 = """create table paused_triggers (name text primary key) without rowid;
drop trigger decisions_screening_ai;
drop trigger decisions_screening_ad;
drop trigger decisions_screening_au;
create trigger decisions_screening_ai after insert on decisions
when not exists (select 1 from paused_triggers where name = 'screening')
begin
delete from screening where record_id = new.record_id and stage = new.stage;
insert into screening (record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict) 
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select new.record_id as record_id, new.stage as stage,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = new.record_id and +stage = new.stage) as res,
    (select reason from resolutions where record_id = new.record_id and +stage = new.stage) as res_reason,
    (select reason from decisions where record_id = new.record_id and +stage = new.stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    )
where i + e > 0 or res is not null;
end;
create trigger decisions_screening_ad after delete on decisions
when not exists (select 1 from paused_triggers where name = 'screening')
begin
delete from screening where record_id = old.record_id and stage = old.stage;
insert into screening (record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict) 
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select old.record_id as record_id, old.stage as stage,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = old.record_id and +stage = old.stage) as res,
    (select reason from resolutions where record_id = old.record_id and +stage = old.stage) as res_reason,
    (select reason from decisions where record_id = old.record_id and +stage = old.stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    )
where i + e > 0 or res is not null;
end;
create trigger decisions_screening_au after update on decisions
when not exists (select 1 from paused_triggers where name = 'screening')
begin
delete from screening where record_id = old.record_id and stage = old.stage;
insert into screening (record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict) 
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select old.record_id as record_id, old.stage as stage,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = old.record_id and +stage = old.stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = old.record_id and +stage = old.stage) as res,
    (select reason from resolutions where record_id = old.record_id and +stage = old.stage) as res_reason,
    (select reason from decisions where record_id = old.record_id and +stage = old.stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    )
where i + e > 0 or res is not null;
delete from screening where record_id = new.record_id and stage = new.stage;
insert into screening (record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict) 
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select new.record_id as record_id, new.stage as stage,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = new.record_id and +stage = new.stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = new.record_id and +stage = new.stage) as res,
    (select reason from resolutions where record_id = new.record_id and +stage = new.stage) as res_reason,
    (select reason from decisions where record_id = new.record_id and +stage = new.stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    )
where i + e > 0 or res is not null;
end;
"""

# m015_fts_merge_in_steps: the full-text index merges its segments a little at each
# write (automerge, 16 since m004) instead of all at once when a level fills (crisis
# merge, 16 by default, so every merge was one), which held a write for 0.3-0.8 s every
# 256 transactions of an import.
M015 = """insert into records_fts(records_fts, rank) values ('crisismerge', 64);"""
