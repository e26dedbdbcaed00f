/**
 * numpy arrays written by real joblib 1.2.0 (the fixture's grid-i4 and vec-f8-compressed), so
 * the demo cache has arrays to preview even though this port writes no numpy arrays itself.
 */

/** np.arange(12, dtype='int32').reshape(3, 4), joblib.dump'ed. */
export const GRID_I4_JOBLIB =
  'gASVzQAAAAAAAACME2pvYmxpYi5udW1weV9waWNrbGWUjBFOdW1weUFycmF5V3JhcHBlcpSTlCmBlH2UKIwIc3ViY2' +
  'xhc3OUjAVudW1weZSMB25kYXJyYXmUk5SMBXNoYXBllEsDSwSGlIwFb3JkZXKUjAFDlIwFZHR5cGWUaAZoDZOUjAJp' +
  'NJSJiIeUUpQoSwOMATyUTk5OSv////9K/////0sAdJRijAphbGxvd19tbWFwlIiMG251bXB5X2FycmF5X2FsaWdubW' +
  'VudF9ieXRlc5RLEHViB/////////8AAAAAAQAAAAIAAAADAAAABAAAAAUAAAAGAAAABwAAAAgAAAAJAAAACgAAAAsA' +
  'AAAu'

/** np.sin(np.linspace(0, 2*pi, 200)) rounded to 6 places, joblib.dump'ed with compress=3. */
export const SINE_F8_JOBLIB =
  'eF41lXtMU1ccxxFk+BgBYsRMZShDUaMgatycyE8zhyCTBY3gnFhbQKoWqAXUhvgaUyC5WrfeovOB4CAyhs45RWHary' +
  'PDwXQ+EJ0I8rJSoNALIw7wASv42/mjvffknHt+j+/3c/aNNNyyezuEcVsTFaotCt+ElHi1VqbeEr1NFSsKbmFDr8s0' +
  'Grk2UiNXq2M1ol6cuV/cLc4QRiWlKKJV8qQkUXAc3iUKTgkx8qG1tkWCY5JSro4VQysO2J4TNTG2rcKIT2zPMcla27' +
  'zyHaWzbZX95o/EzIx0cbU4I9RBGBEghoWFrRy0jeGfULtkUSGMkatUiTtl8fFytZghTHob4fA5MrlqS1xCfGxCskyh' +
  'TY5NEkNdUxSjh3YOD87NbvMBr6d3Z+ZQQYLvQLHPBXrsXOseu/Aqeaxd5ZrieYMyswKyszx/p/TGq8KJiRV0xSdYtd' +
  'PlNrn7d8yd/uYuDQS7vRfRfZ8aEi89O9jwgIoSN2m+r3hIS1994zWv6G/SlJeHl2TW0I0Lr/uLN9WSbKlfXcncpxTh' +
  'ciz9s/56CmytKXq5oZG+TrueOXVRE812qVpjcm2m+7f128aYmsn7n6iVURefkf2pkBOFqSZa0Huk6zo9p6Pvr3oRM/' +
  'CcpkzbEZ94pYXKJ4/0OLfVTAWDRf3dE1qp+sGKRhe00vHU4L56WRtN6o75cP7LNvrB3a3cdKidHhVGjauaaKEenTHk' +
  'QY6Fftz1QU+FZwel+hmVuqMdFPB5QNzYUZ10fo/qW8/tnWSI8Th8vqqTXqSVBufOtpJlzeHK5j1Wioue1vJFpZUqHe' +
  'O6esdKNOfiKelskETvXtCFRWklqgty2DU2TyJ3o/FR/k2JZJ8GOXk3SbTd7o1xb49EU52m3b70RqLhiUGJ/grUhWf3' +
  'S9QbqXsVYZHIeM3uVWu1RJtD9h1fXyyRvEwZUayTqMchUmsvl6i0NPrnVbMkWna6Qp9nsdLi1bvNE/KttFO5TiiNsF' +
  'LhV+Ehp+ysZHKrC64500ljTp9LS1vSSevTeteW3Osgk9+cdv2GDhro3nh5XpOFWryM437ZaKFRIz/WL3zYTkNRNi9v' +
  'J3/DnrKac22kOpbbvdy1jYbUEqxqpYQb5nS3MjN1d2U73HIzU5Zhen7Oly0Ud/JgQdnp57Ru0DxXVm8iIcdfXzDBRN' +
  '6Kld73Q5/Ruol94c6pzaTVN5zR5zfR2Z/M27JuNVLnrLzXeU8aiBZW6vrG15Pqzm/zc0PqiNQGH9cdT6hR+YczTjym' +
  'FMfaDJ9fH1FfoWE0qqupfce/Bqe2KsrNDrTf23ePms9vtFX6Do14enR+7fg/aaDqTGClx01adLL/4eQpZbTCMax4/+' +
  'JrtMHR/95lv0s057tobeSSAioM6Tq4YNaR///B8+B14H3g74C/Cz4HfC44DnBc4DjBcYPzAOcFzhOcN7gO4LqA6wSu' +
  'G7iO4LqC6wyuO7gP4L6A+wTuG7iP4L6C+wzuO1gHYF2AdQLWDVhHYF2BdQbWHViHYF2CdQrWLVjHYF2DdQ7WPdgHYF' +
  '+AfQL2DdhHYF+BfQb2HdiHYF+CfQr2LdjHYF+DfQ72PZgDYC6AOQHmBpgjYK6AOQPmDphDYC6BOQXmFphjYK6BOQfm' +
  'HpiDYC6COQnmJpijYK6COQvmLpjDYC6DOQ3mNpjjYK6DOQ/mPvgeAN8L4HsCfG/s8/0P4wfORQ=='
