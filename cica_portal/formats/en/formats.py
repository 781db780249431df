# One way to write a day and a time in the English workspace and pages: "22 January 2024, 09:00"
# (Astana time), never "Jan. 22, 2024, 9 a.m."; what editors type is ISO (the date inputs).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
