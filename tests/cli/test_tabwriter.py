"""Go text/tabwriter as docker/cli configures it: NewWriter(out, 10, 1, 3, ' ', 0)."""

from hypothesis import given
from hypothesis import strategies as st

from sim.cli.tabwriter import display_width, tabwrite


def test_docker_ps_header_widths():
    text = "CONTAINER ID\tIMAGE\tNAMES\nabcdef123456\tnginx\tweb\n"
    # cell width = max(len + padding 3, minwidth 10); the last cell is not padded
    assert tabwrite(text) == (
        "CONTAINER ID   IMAGE     NAMES\n"
        "abcdef123456   nginx     web\n")


def test_short_line_cuts_the_column_block():
    text = "a\tb\tc\nlonger-cell\n" + "x\ty\tz\n"
    lines = tabwrite(text).splitlines()
    assert lines[0] == "a         b         c"
    assert lines[1] == "longer-cell"
    assert lines[2] == "x         y         z"


def test_empty_cells_still_pad():
    assert tabwrite("A\tB\tC\nx\t\tz\n") == "A         B         C\nx                   z\n"


def test_wide_characters_take_two_columns():
    assert display_width("日本") == 4
    assert display_width("…") == 1


@given(st.lists(st.lists(st.text(alphabet="abcxyz01", min_size=0, max_size=14),
                         min_size=3, max_size=3), min_size=1, max_size=6))
def test_columns_align(rows):
    out = tabwrite("".join("\t".join(r) + "\n" for r in rows)).splitlines()
    starts = {len(r[0]) for r in rows}
    width0 = max(max(starts) + 3, 10)
    for line, row in zip(out, rows, strict=True):
        assert line[:width0].rstrip() == row[0]
        assert line[width0:].startswith(row[1])
