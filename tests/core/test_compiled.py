"""core/compiled.py: statements compiled once, their stand-ins replaced by the real ids."""

from core.compiled import MANY, ONE, bind, lock_rows


def test_bind_puts_the_id_and_the_list_in_their_places():
    params = [ONE, MANY, "da_gui", 0, 1, [5, 6], ONE]
    assert bind(params, one=42, many=[7, 8, 9]) == [42, [7, 8, 9], "da_gui", 0, 1, [5, 6], 42]


def test_the_stand_ins_match_no_row():
    assert ONE < 0 and MANY == [ONE]


def test_lock_rows_locks_the_listed_rows_in_order():
    sql, params = lock_rows('"t"', '"id"')
    assert sql == 'SELECT 1 FROM "t" WHERE "id" = ANY(%s::bigint[]) ORDER BY "id" FOR UPDATE'
    assert bind(params, many=[3, 1]) == [[3, 1]]
