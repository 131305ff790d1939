"""Facts the lessons rest on, checked against the data (a wrong number is the worst bug)."""

import kit


def test_base_edition_covers_32_allies_2014_to_2025():
    df = kit.load("defence_spending")
    base = df[df.edition == "NATO-2025-08"]
    assert base.iso3.nunique() == 32
    assert sorted(base.year.unique()) == list(range(2014, 2026))
    assert len(base) == 32 * 12


def test_iceland_has_rows_but_no_figures_and_says_why():
    df = kit.load("defence_spending")
    iceland = df[(df.iso3 == "ISL") & (df.edition == "NATO-2025-08")]
    assert len(iceland) == 12 and iceland.share_gdp_pct.isna().all()
    assert iceland.note.str.contains("no armed forces").all()


def test_unknown_2025_values_stay_empty():
    df = kit.load("defence_spending")
    base2025 = df[(df.edition == "NATO-2025-08") & (df.year == 2025)]
    empty = set(base2025[base2025.share_gdp_pct.isna()].iso3)
    assert empty == {"DEU", "NLD", "HUN", "BGR", "HRV", "MNE", "SVK", "SVN", "ISL"}


def test_allies_at_two_percent_in_2024_match_the_reported_count():
    df = kit.load("defence_spending")
    base2024 = df[(df.edition == "NATO-2025-08") & (df.year == 2024)]
    assert (base2024.share_gdp_pct >= 2).sum() == 18


def test_the_hague_commitment():
    targets = kit.load("spending_targets").set_index("target_id")
    assert targets.loc["T2025_HAGUE_5PCT", "share_gdp_pct"] == 5
    assert targets.loc["T2025_HAGUE_CORE_3_5PCT", "share_gdp_pct"] == 3.5
    assert targets.loc["T2025_HAGUE_RELATED_1_5PCT", "share_gdp_pct"] == 1.5
    assert targets.loc["T2025_HAGUE_5PCT", "deadline_year"] == 2035
    assert targets.loc["T2025_HAGUE_REVIEW_2029", "deadline_year"] == 2029


def test_moldova_2025_uses_the_final_cec_totals():
    df = kit.load("moldova_elections")
    e = df[df.election_id == "MD-PARL-2025"].set_index("competitor")
    assert e.loc["Patriotic Electoral Bloc (BEP)", "vote_pct"] == 24.20
    assert e.loc["Patriotic Electoral Bloc (BEP)", "alt_vote_pct"] == 24.17
    assert round(381984 / 1578722 * 100, 2) == 24.20
    assert e.seats.sum() == 101 and e.loc["Party of Action and Solidarity (PAS)", "seats"] == 55


def test_referendum_keeps_the_court_confirmed_split():
    df = kit.load("moldova_elections")
    ref = df[df.election_id == "MD-REF-2024"].set_index("competitor")
    assert ref.loc["Yes", "vote_pct"] == 50.35 and ref.loc["Yes", "alt_vote_pct"] == 50.46
    assert ref.votes.sum() == 1488874


def test_sipri_is_a_separate_series_with_russia_ukraine_moldova_belarus():
    df = kit.load("military_expenditure")
    assert {"RUS", "UKR", "MDA", "BLR"} <= set(df.iso3)
    assert df.year.min() == 2014 and df.year.max() == 2024
    assert "edition" not in df.columns


def test_coalition_membership_flags_agree_with_accession_years():
    members = kit.load("coalition_members").merge(kit.load("countries"), on="iso3")
    nato_2025 = members.nato_accession_year.fillna(9999) <= 2025
    eu_2025 = (members.eu_accession_year.fillna(9999) <= 2025) & members.eu_exit_year.isna()
    assert (members.nato_member == nato_2025).all()
    assert (members.eu_member == eu_2025).all()
