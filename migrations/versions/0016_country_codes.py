"""country codes: nationalities, partners' countries and the lists of states hold ISO 3166 codes, not
names typed by hand; the existing texts that name a country become its code

Revision ID: 0016
Revises: 0015

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    # Which fields and lists hold countries is what the workflow files say now; a text that names no
    # country (or several) is kept as it was typed, and pages show it so.
    from caseflow.catalog import catalog
    from caseflow.countries import code_of

    connection = op.get_bind()
    cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('type', sa.String), sa.column('data', sa.JSON))
    for row in connection.execute(sa.select(cases.c.id, cases.c.type, cases.c.data)).all():
        workflow = catalog().get(row.type)
        if workflow is None or not row.data:
            continue
        data = dict(row.data)
        for spec in workflow.fields:
            if spec.type == 'country' and data.get(spec.name):
                data[spec.name] = code_of(data[spec.name]) or data[spec.name]
        if data != row.data:
            connection.execute(cases.update().where(cases.c.id == row.id).values(data=data))

    partners = sa.table('partners', sa.column('id', sa.Integer), sa.column('country', sa.String))
    for partner_id, country in connection.execute(sa.select(partners.c.id, partners.c.country)).all():
        code = code_of(country)
        if code and code != country:
            connection.execute(partners.update().where(partners.c.id == partner_id).values(country=code))

    items = sa.table('reference_items', sa.column('list_name', sa.String), sa.column('value', sa.String))
    country_lists = [item.name for workflow in catalog() for item in workflow.lists if item.values == 'country']
    for list_name in country_lists:
        values = list(connection.scalars(sa.select(items.c.value).where(items.c.list_name == list_name)))
        for value in values:
            code = code_of(value)
            if code is None or code == value:
                continue
            connection.execute(items.delete().where(items.c.list_name == list_name, items.c.value == value))
            if code not in values:
                connection.execute(items.insert().values(list_name=list_name, value=code))
                values.append(code)


def downgrade():
    pass  # the codes stay: each still names its country, and the old pages showed any text as it was
