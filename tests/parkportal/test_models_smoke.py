from tests.factories import EnterpriseFactory


def test_enterprise_factory_builds_a_valid_enterprise(db):
    enterprise = EnterpriseFactory()
    enterprise.full_clean()
    assert enterprise.park.parent.is_zone
