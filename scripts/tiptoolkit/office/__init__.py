"""The working files: Word and spreadsheet documents laid out from `views.drafts`.

bill     a country's draft amendment bill (DOCX, python-docx)
form     the referral form as a fillable Word form (DOCX, content controls)
matrix   the action plan matrix (XLSX, openpyxl)
package  what makes a file the same bytes from the same input
batch    every working file the build publishes, cached like the PDFs, and their manifest
"""
