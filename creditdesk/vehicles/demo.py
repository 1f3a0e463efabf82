"""Demo vehicles (车辆): a used car for most individual demo customers, each with one or two valuations.

Vehicles go through `vehicle_create` and `valuation_record`, so VINs are checked and every change is audited.
Deterministic (fixed seed); skipped when vehicles exist already.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from creditdesk.core.dates import business_date
from creditdesk.core.identifiers import vin_check_digit
from creditdesk.customers.choices import CustomerKind
from creditdesk.customers.models import Customer
from creditdesk.vehicles.models import Vehicle
from creditdesk.vehicles.selectors import current_value_estimate
from creditdesk.vehicles.services import valuation_record, vehicle_create

SEED = 2028
SHARE_WITH_VEHICLE = 0.8
# (brand, model, world manufacturer identifier, new-car guide price in yuan)
MODELS = [
    ("大众", "朗逸 1.5L 自动舒适版", "LSV", 119_900),
    ("丰田", "卡罗拉 1.2T 精英版", "LFM", 129_800),
    ("本田", "雅阁 1.5T 豪华版", "LHG", 199_800),
    ("别克", "英朗 1.5L 精英型", "LSG", 109_900),
    ("日产", "轩逸 1.6L 舒适版", "LGB", 112_900),
    ("比亚迪", "秦PLUS DM-i 55km", "LGX", 99_800),
    ("吉利", "星瑞 2.0TD 豪华型", "L6T", 139_700),
    ("长安", "CS75 PLUS 1.5T 豪华型", "LS5", 135_900),
    ("宝马", "3系 325Li M运动套装", "LBV", 349_900),
    ("奔驰", "C级 C260L 运动版", "LE4", 339_800),
]
PLATE_PREFIX = {"SH": "沪", "BJ": "京"}
VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"  # no I, O, Q


def _vin(rng: random.Random, wmi: str) -> str:
    body = (
        wmi + "".join(rng.choice(VIN_CHARS) for _ in range(5)) + "0" + "".join(rng.choice(VIN_CHARS) for _ in range(8))
    )
    return body[:8] + vin_check_digit(body) + body[9:]


def seed(*, stdout: Any) -> None:
    if Vehicle.objects.exists():
        stdout.write("Vehicles exist already; demo vehicles not seeded.")
        return
    rng = random.Random(SEED)  # noqa: S311  (demo data, deterministic on purpose)
    today = business_date()
    customers = Customer.objects.filter(kind=CustomerKind.INDIVIDUAL).select_related("owner", "org_unit").order_by("pk")
    count = 0
    for customer in customers:
        if rng.random() > SHARE_WITH_VEHICLE:
            continue
        brand, model_name, wmi, price = rng.choice(MODELS)
        registered = today - dt.timedelta(days=rng.randint(365, 365 * 8))
        branch = (customer.org_unit.code.split("-", 1)[0]) if customer.org_unit else "SH"
        plate = f"{PLATE_PREFIX.get(branch, '沪')}{rng.choice('ABCDEFGHJKLMN')}{rng.randint(10000, 99999)}"
        vehicle = vehicle_create(
            actor=customer.owner,
            customer=customer,
            brand=brand,
            model_name=model_name,
            vin=_vin(rng, wmi),
            engine_number=f"{rng.choice('ABCDEFGH')}{rng.randint(1_000_000, 9_999_999)}",
            plate_number=plate,
            first_registered_on=registered,
            purchased_on=registered,
            mileage_km=rng.randint(8_000, 24_000) * max(1, (today - registered).days // 365),
            original_price_amount=Decimal(price).quantize(Decimal("0.01")),
            registration_certificate=rng.random() < 0.95,
            invoice=rng.random() < 0.9,
            insurance=rng.random() < 0.9,
            has_major_accident=rng.random() < 0.05,
        )
        estimate = current_value_estimate(vehicle, today) or Decimal("10000.00")
        market = (estimate * Decimal(rng.uniform(0.9, 1.1))).quantize(Decimal("1.00"))
        valuation_record(
            actor=customer.owner,
            vehicle=vehicle,
            valued_on=today - dt.timedelta(days=rng.randint(0, 30)),
            method="market",
            value_amount=max(market, Decimal("1000.00")),
        )
        if rng.random() < 0.3:
            valuation_record(
                actor=customer.owner,
                vehicle=vehicle,
                valued_on=today,
                method="appraiser",
                value_amount=max((market * Decimal("0.97")).quantize(Decimal("1.00")), Decimal("1000.00")),
                appraiser=rng.choice(["周评估师", "李评估师", "王评估师"]),
            )
        count += 1
    stdout.write(f"Demo vehicles: {count} used cars with valuations.")
