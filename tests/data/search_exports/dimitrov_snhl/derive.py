"""How the excerpts here were cut from ../shared/corpus/csv/dimitrov_snhl_search_exports.

Twelve PubMed (medline.csv) records that Embase or Scopus also returned, three that
only PubMed returned, the Embase and Scopus rows of the same articles (matched by
PMID or DOI), and two rows of each that PubMed did not return. Rows are copied whole
(the csv module writes them back; the header and BOM are kept).

    python derive.py ../../../../../shared/corpus/csv/dimitrov_snhl_search_exports
"""

import csv
import sys
from pathlib import Path

src = Path(sys.argv[1])
here = Path(__file__).resolve().parent


def rows(name):
    with open(src / name, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, list(reader)


def write(name, header, chosen):
    with open(here / name, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(chosen)


mh, med = rows("medline.csv")
eh, emb = rows("embase.csv")
sh, sco = rows("scopus.csv")
m_pmid, m_doi = mh.index("PMID"), mh.index("DOI")
e_pmid = eh.index("PM")
s_doi, s_pmid = sh.index("DOI"), sh.index("PubMed ID")
emb_by_pmid = {r[e_pmid].split()[0]: r for r in emb if r[e_pmid].strip()}  # "1234 [url]"
sco_by_doi = {r[s_doi].strip().lower(): r for r in sco if r[s_doi].strip()}

both, alone = [], []
for r in med:
    e = emb_by_pmid.get(r[m_pmid].strip())
    s = sco_by_doi.get(r[m_doi].strip().lower()) if r[m_doi].strip() else None
    if e is not None or s is not None:
        both.append((r, e, s))
    elif len(alone) < 3:
        alone.append(r)
# articles all three databases returned first, then those two did
both.sort(key=lambda t: (t[1] is None) + (t[2] is None))
both = both[:12]
write("medline.csv", mh, [r for r, _e, _s in both] + alone)
taken_e = [e for _r, e, _s in both if e is not None]
taken_s = [s for _r, _e, s in both if s is not None]
other_e = [r for r in emb if r not in taken_e and (r[e_pmid].split() or [""])[0] not in
           {x[m_pmid].strip() for x in med}][:2]
other_s = [r for r in sco if r not in taken_s and r[s_doi].strip().lower() not in
           {x[m_doi].strip().lower() for x in med}][:2]
write("embase.csv", eh, taken_e + other_e)
write("scopus.csv", sh, taken_s + other_s)
print(len(both), len(alone), len(taken_e), len(taken_s))
