"""Facts the lessons rest on, checked against the data (a wrong number is the worst bug)."""

import re

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


def test_only_germany_and_iceland_have_no_2025_estimate_in_the_august_2025_edition():
    """NATO published no 2025 estimate for Germany in that edition; Iceland has no armed forces."""
    df = kit.load("defence_spending")
    base2025 = df[(df.edition == "NATO-2025-08") & (df.year == 2025)]
    empty = base2025[base2025.share_gdp_pct.isna()].set_index("iso3")
    assert set(empty.index) == {"DEU", "ISL"}
    assert re.search(r"no (2025 )?estimate", empty.loc["DEU", "note"].lower()), empty.loc["DEU", "note"]


def test_every_ally_with_a_2025_estimate_is_at_two_percent_or_more():
    """NATO's headline for the August 2025 edition, said as NATO said it."""
    df = kit.load("defence_spending")
    base2025 = df[(df.edition == "NATO-2025-08") & (df.year == 2025)].dropna(subset=["share_gdp_pct"])
    assert len(base2025) == 30 and (base2025.share_gdp_pct >= 2).all()


def test_the_seven_added_2025_estimates_are_flagged_single_source():
    df = kit.load("defence_spending")
    base2025 = df[(df.edition == "NATO-2025-08") & (df.year == 2025)].set_index("iso3")
    added = {"BGR": 2.06, "HRV": 2.03, "HUN": 2.06, "MNE": 2.03, "NLD": 2.49, "SVK": 2.04, "SVN": 2.02}
    for iso3, value in added.items():
        assert base2025.loc[iso3, "share_gdp_pct"] == value, iso3
        assert not base2025.loc[iso3, "verified"], iso3


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
    parts = targets.loc[["T2025_HAGUE_CORE_3_5PCT", "T2025_HAGUE_RELATED_1_5PCT"], "share_gdp_pct"].sum()
    assert parts == targets.loc["T2025_HAGUE_5PCT", "share_gdp_pct"]  # the two parts make the headline


def test_shares_agree_with_the_votes_they_come_from():
    """Where the CEC gives both, each share is the competitor's votes over valid votes (to 2 decimals)."""
    df = kit.load("moldova_elections").dropna(subset=["votes", "valid_votes", "vote_pct"])
    assert len(df) >= 10  # the 2024 run-off, the referendum and the 2025 vote at least
    computed = (df.votes / df.valid_votes * 100).round(2)
    off = df[(computed - df.vote_pct).abs() > 0.005]
    assert off.empty, off[["result_id", "competitor", "vote_pct"]].assign(computed=computed[off.index]).to_string()


def _final(election_id):
    df = kit.load("moldova_elections")
    return df[(df.election_id == election_id) & df.final].set_index("competitor")


def _stage(election_id, result_id):
    df = kit.load("moldova_elections")
    return df[(df.election_id == election_id) & (df.result_id == result_id)].set_index("competitor")


def test_moldova_2025_uses_the_final_cec_totals():
    e = _final("MD-PARL-2025")
    assert e.loc["Patriotic Electoral Bloc (BEP)", "vote_pct"] == 24.20
    assert _stage("MD-PARL-2025", "MD-PARL-2025/count-100").loc["Patriotic Electoral Bloc (BEP)", "vote_pct"] == 24.17
    assert e.seats.sum() == 101 and e.loc["Party of Action and Solidarity (PAS)", "seats"] == 55


def test_referendum_keeps_the_court_confirmed_split():
    ref = _final("MD-REF-2024")
    assert ref.loc["Yes", "vote_pct"] == 50.35 and ref.loc["No", "vote_pct"] == 49.65
    assert ref.votes.sum() == 1488874
    assert _stage("MD-REF-2024", "MD-REF-2024/count-100").loc["Yes", "vote_pct"] == 50.46


def test_2024_run_off_final_is_the_cec_totalisation_not_election_night():
    final = _final("MD-PRES-2024-R2")
    assert final.loc["Maia Sandu", "vote_pct"] == 55.35 and final.loc["Maia Sandu", "votes"] == 930139
    assert final.loc["Alexandr Stoianoglo", "votes"] == 750430 and final.votes.sum() == 1680569
    night = _stage("MD-PRES-2024-R2", "MD-PRES-2024-R2/count-100")
    assert night.loc["Maia Sandu", "vote_pct"] == 55.33


def test_2024_first_round_shares_are_of_valid_votes():
    count = _stage("MD-PRES-2024-R1", "MD-PRES-2024-R1/count-100")
    assert count.loc["Maia Sandu", "vote_pct"] == 42.45 and count.loc["Maia Sandu", "valid_votes"] == 1546077
    assert count.loc["Maia Sandu", "turnout_pct"] == 51.68


def test_every_election_has_exactly_one_final_result():
    df = kit.load("moldova_elections")
    finals = df[df.final].groupby("election_id").result_id.nunique()
    assert set(finals.index) == set(df.election_id) and (finals == 1).all()


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


def test_the_two_percent_guideline_2006_and_the_wales_pledge_2014():
    """Moved from a doctest of kit.charts.target_lines (doctests no longer pin data values)."""
    targets = kit.load("spending_targets").set_index("target_id")
    assert (targets.loc["T2006_2PCT", "share_gdp_pct"], targets.loc["T2006_2PCT", "year_agreed"]) == (2, 2006)
    assert (targets.loc["T2014_DIP_2PCT", "share_gdp_pct"], targets.loc["T2014_DIP_2PCT", "year_agreed"]) == (2, 2014)


def test_the_united_states_spent_the_highest_share_in_2014():
    """Moved from a doctest of kit.charts.gaps: 3.71% of GDP in the August 2025 edition."""
    df = kit.load("defence_spending")
    base2014 = df[(df.edition == "NATO-2025-08") & (df.year == 2014)].dropna(subset=["share_gdp_pct"])
    top = base2014.sort_values("share_gdp_pct").iloc[-1]
    assert (top.country, top.share_gdp_pct) == ("United States", 3.71)


def test_the_allies_of_a_year_follow_accession():
    """28 Allies in 2014 and 32 in 2025; Finland from 2023, Sweden from 2024 (NATO's member-country pages)."""
    from kit.data import allies

    assert len(allies.of_year(2014)) == 28 and len(allies.of_year(2025)) == 32
    assert "FIN" not in allies.of_year(2022) and "FIN" in allies.of_year(2023)
    assert "SWE" not in allies.of_year(2023) and "SWE" in allies.of_year(2024)
    base = kit.load("defence_spending").query("edition == 'NATO-2025-08'")
    assert set(allies.not_yet(base, 2014)) == {"Finland", "Montenegro", "North Macedonia", "Sweden"}
