-- The eleven provincial-level units the arrangement of 1 July 2025 left whole
-- (Hà Nội, Huế, Lai Châu, Điện Biên, Sơn La, Lạng Sơn, Quảng Ninh, Thanh Hóa,
-- Nghệ An, Hà Tĩnh, Cao Bằng) showed as a unit ending on 30/06/2025 and a new
-- one starting the next day (issue 27). Ten of them are one unit throughout:
-- the earlier row goes, its agencies and its ISO 3166-2 code move to the
-- current one, which has no start date. Huế became a centrally run city on
-- 1 January 2025 (from Thừa Thiên Huế province) and was not merged in July:
-- its break is on that day.
UPDATE agencies SET province_code = 'VN34-01' WHERE province_code = 'VN-HN';
UPDATE agencies SET province_code = 'VN34-07' WHERE province_code = 'VN-01';
UPDATE agencies SET province_code = 'VN34-08' WHERE province_code = 'VN-71';
UPDATE agencies SET province_code = 'VN34-09' WHERE province_code = 'VN-05';
UPDATE agencies SET province_code = 'VN34-10' WHERE province_code = 'VN-09';
UPDATE agencies SET province_code = 'VN34-11' WHERE province_code = 'VN-13';
UPDATE agencies SET province_code = 'VN34-12' WHERE province_code = 'VN-21';
UPDATE agencies SET province_code = 'VN34-13' WHERE province_code = 'VN-22';
UPDATE agencies SET province_code = 'VN34-14' WHERE province_code = 'VN-23';
UPDATE agencies SET province_code = 'VN34-15' WHERE province_code = 'VN-04';
DELETE FROM provinces WHERE code IN ('VN-HN', 'VN-01', 'VN-71', 'VN-05', 'VN-09', 'VN-13', 'VN-21', 'VN-22', 'VN-23', 'VN-04');
UPDATE provinces SET valid_from = NULL, iso_code = 'VN-HN' WHERE code = 'VN34-01';
UPDATE provinces SET valid_from = NULL, iso_code = 'VN-01' WHERE code = 'VN34-07';
UPDATE provinces SET valid_from = NULL, iso_code = 'VN-71' WHERE code = 'VN34-08';
UPDATE provinces SET valid_from = NULL, iso_code = 'VN-05' WHERE code = 'VN34-09';
UPDATE provinces SET valid_from = NULL, iso_code = 'VN-09' WHERE code = 'VN34-10';
UPDATE provinces SET valid_from = NULL, iso_code = 'VN-13' WHERE code = 'VN34-11';
UPDATE provinces SET valid_from = NULL, iso_code = 'VN-21' WHERE code = 'VN34-12';
UPDATE provinces SET valid_from = NULL, iso_code = 'VN-22' WHERE code = 'VN34-13';
UPDATE provinces SET valid_from = NULL, iso_code = 'VN-23' WHERE code = 'VN34-14';
UPDATE provinces SET valid_from = NULL, iso_code = 'VN-04' WHERE code = 'VN34-15';
UPDATE provinces SET valid_to = '2024-12-31' WHERE code = 'VN-26';
UPDATE provinces SET valid_from = '2025-01-01', iso_code = 'VN-26' WHERE code = 'VN34-02';
